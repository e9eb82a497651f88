#include "ui/help/AboutText.h"

#include "core/ml/RuntimeInfo.h"
#include "core/volume/io/LibraryVersions.h"

#include <CLI/Version.hpp>
#include <vtkVersion.h>

#include <QApplication>
#include <QCoreApplication>
#include <QMessageBox>

namespace ui {

QString aboutText() {
  QString html =
      QCoreApplication::translate("ui::AboutText",
                                  "<b>CDNet Studio %1</b><p>Crack detection and analysis in X-ray nano-tomography of "
                                  "lithium-ion battery cathodes.</p>")
          .arg(QStringLiteral(CDNET_VERSION));

  const core::ml::TorchRuntimeInfo torch = core::ml::torchRuntimeInfo();
  QString gpu;
  if (torch.cudaInUse())
    gpu = QCoreApplication::translate("ui::AboutText",
                                      "CUDA: in use (GPUs found: %1); training and prediction run on the GPU.")
              .arg(torch.cudaDevices);
  else if (torch.cudaDevices > 0)
    gpu = QCoreApplication::translate("ui::AboutText", "CUDA: not in use (GPUs found: %1, but CUDA fails to start: %2); "
                                                       "training and prediction run on the CPU.")
              .arg(torch.cudaDevices)
              .arg(QString::fromStdString(torch.cudaStartError));
  else if (torch.builtWithCuda)
    gpu = QCoreApplication::translate(
        "ui::AboutText",
        "CUDA: not in use (LibTorch supports CUDA, but no GPU was found); training and prediction run on the CPU.");
  else
    gpu = QCoreApplication::translate(
        "ui::AboutText",
        "CUDA: not in use (this LibTorch is built for the CPU only); training and prediction run on the CPU.");
  html += QStringLiteral("<p>%1</p>").arg(gpu.toHtmlEscaped());

  html += QStringLiteral("<p>%1</p><table>")
              .arg(QCoreApplication::translate("ui::AboutText", "Libraries:").toHtmlEscaped());
  auto row = [&html](const QString& name, const QString& version) {
    html += QStringLiteral("<tr><td>%1</td><td>&nbsp;%2</td></tr>").arg(name.toHtmlEscaped(), version.toHtmlEscaped());
  };
  row(QStringLiteral("Qt"), QString::fromLatin1(qVersion()));
  row(QStringLiteral("VTK"), QString::fromLatin1(vtkVersion::GetVTKVersion()));
  for (const auto& lib : core::volume::ioLibraryVersions())
    row(QString::fromStdString(lib.name), QString::fromStdString(lib.version));
  row(QStringLiteral("LibTorch"), QString::fromStdString(torch.version));
  row(QStringLiteral("CLI11"), QStringLiteral(CLI11_VERSION));
  html += QStringLiteral("</table><p>%1</p>").arg(QCoreApplication::translate("ui::AboutText", "License: MIT. Third-party notices: THIRD-PARTY-NOTICES (installed in /usr/share/doc/cdnet-studio).").toHtmlEscaped());
  return html;
}

void showAboutDialog(QWidget* parent) {
  QMessageBox::about(parent, QCoreApplication::translate("ui::AboutText", "About CDNet Studio"), aboutText());
}

} // namespace ui
