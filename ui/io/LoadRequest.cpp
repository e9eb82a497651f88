#include "ui/io/LoadRequest.h"

#include "core/volume/Downsample.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>

namespace ui {

namespace vol = core::volume;

namespace {
/// Progress text in the user's language (QCoreApplication::translate is thread-safe).
std::string trText(const char* text) { return QCoreApplication::translate("ui::LoadRequest", text).toStdString(); }
} // namespace

QString LoadRequest::displayName() const { return kind == Kind::Demo ? QCoreApplication::translate("ui::LoadRequest", "Demo phantom") : path; }

LoadRequest LoadRequest::file(const QString& path) {
  LoadRequest r;
  r.kind = Kind::File;
  r.path = path;
  return r;
}

LoadRequest LoadRequest::demo(vol::Size3 size) {
  LoadRequest r;
  r.kind = Kind::Demo;
  r.phantom.size = size;
  return r;
}

QString describeVolume(const vol::VolumeInfo& info) {
  const auto sp = info.spacing;
  QString spacing = sp.x == sp.y && sp.y == sp.z ? QString::number(sp.x, 'g', 4)
                                                 : QStringLiteral("%1 x %2 x %3").arg(sp.x).arg(sp.y).arg(sp.z);
  return QStringLiteral("%1 x %2 x %3 %4, %5 \u00b5m")
      .arg(info.size.x)
      .arg(info.size.y)
      .arg(info.size.z)
      .arg(QString::fromLatin1(vol::toString(info.type)))
      .arg(spacing);
}

void prepareDataset(Dataset& d, int previewMaxDim, core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel) {
  progress.setProgress(0.86, trText(QT_TRANSLATE_NOOP("ui::LoadRequest", "Allocating the label layer")));
  if (d.labels.empty()) d.labels = vol::Volume(d.image.size(), vol::VoxelType::UInt8, d.image.spacing(), d.image.origin());
  cancel.throwIfCancelled();
  progress.setProgress(0.9, trText(QT_TRANSLATE_NOOP("ui::LoadRequest", "Computing the histogram")));
  d.statistics = ImageStatistics::compute(d.image);
  cancel.throwIfCancelled();
  const int factor = core::volume::downsampleFactorFor(d.image.size(), std::max(previewMaxDim, 16));
  if (factor > 1) {
    progress.setProgress(0.94, trText(QT_TRANSLATE_NOOP("ui::LoadRequest", "Preparing the 3D view")));
    d.preview = core::volume::downsampleMean(d.image, factor);
    d.previewFactor = factor;
  }
  progress.setProgress(1.0, trText(QT_TRANSLATE_NOOP("ui::LoadRequest", "Done")));
}

Dataset loadDataset(const LoadRequest& request, core::jobs::ProgressSink& progress, core::jobs::CancelToken& cancel) {
  Dataset d;
  d.name = request.displayName();
  if (request.kind == LoadRequest::Kind::Demo) {
    core::jobs::SubProgress sub(progress, 0.0, 0.8);
    core::phantom::Phantom p = core::phantom::generatePhantom(request.phantom, sub, cancel);
    d.image = std::move(p.image);
    // The ground-truth cracks shown as a prediction layer: probability 1 on cracks, 0 elsewhere.
    d.prediction = std::move(p.cracks);
    std::uint8_t* c = d.prediction.as<std::uint8_t>();
    const std::int64_t n = d.prediction.voxelCount();
    for (std::int64_t i = 0; i < n; ++i) c[i] = c[i] ? 255 : 0;
    d.description = QCoreApplication::translate("ui::LoadRequest", "phantom, %1").arg(describeVolume(d.image.info()));
  } else {
    const std::string path = request.path.toStdString();
    auto reader = vol::openVolume(path, request.open);
    cancel.throwIfCancelled();
    const vol::VolumeInfo out = reader->outputInfo(request.read);
    // The image and its label layer must fit together; say so before reading anything.
    vol::checkAllocation(out.bytes() + std::uint64_t(out.size.count()),
                        "'" + path + "' (" + describeVolume(out).toStdString() + ") with its label layer");
    core::jobs::SubProgress sub(progress, 0.0, 0.85);
    d.image = reader->read(request.read, sub, cancel);
    if (d.image.empty() || d.image.size().empty()) throw std::runtime_error("'" + path + "': the volume is empty");
    d.description = QString::fromStdString(reader->formatName()) + QStringLiteral(", ") + describeVolume(d.image.info());
  }
  cancel.throwIfCancelled();
  prepareDataset(d, request.previewMaxDim, progress, cancel);
  return d;
}

} // namespace ui
