#include "ui/controllers/UnsavedLabels.h"

#include "ui/model/SparseLabelLayer.h"

#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>

namespace ui {

bool UnsavedLabels::maybeSave(SparseLabelLayer& layer, QWidget* parent) {
  if (!layer.isOpen() || !layer.labels()->isModified()) return true;
  const QString image = layer.volume() ? QFileInfo(QString::fromStdString(layer.volume()->path())).fileName() : QString();
  QMessageBox box(QMessageBox::Question, tr("Unsaved labels"),
                  tr("The labels of %1 have unsaved changes. Save them?").arg(image),
                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, parent);
  box.setObjectName(QStringLiteral("unsavedLabelsQuestion"));
  box.setInformativeText(tr("Saving writes only the chunks you painted to %1.").arg(QString::fromStdString(layer.path())));
  box.setDefaultButton(QMessageBox::Save);
  switch (box.exec()) {
  case QMessageBox::Save:
    try {
      layer.save();
      return true;
    } catch (const std::exception& e) {
      Q_EMIT layer.failed(tr("Cannot save the labels: %1").arg(QString::fromStdString(e.what())));
      return false;
    }
  case QMessageBox::Discard:
    layer.discardChanges();
    return true;
  default: return false;
  }
}

} // namespace ui
