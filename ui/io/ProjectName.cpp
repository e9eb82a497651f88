#include "ui/io/ProjectName.h"

namespace ui {

QString defaultProjectPath(const QString& imagePath) {
  // Longest first: ".nii.gz" before ".gz"-less ".nii".
  static const char* const kExtensions[] = {".nii.gz", ".cdnet", ".nrrd", ".nhdr", ".hdf5", ".tiff", ".mha", ".mhd",
                                            ".nii",    ".tif",   ".vol",  ".raw",  ".bin",  ".h5",   ".png"};
  QString base = imagePath;
  while (base.endsWith(QLatin1Char('/')) && base.size() > 1) base.chop(1);
  for (const char* ext : kExtensions) {
    const QLatin1String e(ext);
    if (base.size() > e.size() && base.endsWith(e, Qt::CaseInsensitive) && base[base.size() - e.size() - 1] != QLatin1Char('/')) {
      base.chop(e.size());
      break;
    }
  }
  return base + QStringLiteral(".cdnet");
}

} // namespace ui
