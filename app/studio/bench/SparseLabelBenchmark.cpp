#include "app/studio/bench/SparseLabelBenchmark.h"

#include "core/bench/BenchReport.h"
#include "core/labels/Brush.h"
#include "core/labels/SparseLabelStore.h"
#include "ui/MainWindow.h"
#include "ui/model/CursorModel.h"
#include "ui/model/SparseLabelLayer.h"
#include "ui/views/LazyBrowser.h"
#include "ui/views/SliceView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace ui {

namespace cl = core::labels;
namespace vol = core::volume;

namespace {

using core::bench::quantileOf;

double msSince(const QElapsedTimer& t) { return double(t.nsecsElapsed()) / 1e6; }

} // namespace

SparseStrokeMeasurement measureSparseStrokes(MainWindow& window, int strokesPerSlice, int slices, const std::string& saveDir) {
  LazyBrowser& browser = *window.lazyBrowser();
  SparseLabelLayer& layer = browser.labels();
  if (!browser.isOpen() || !layer.isOpen()) throw std::runtime_error("measureSparseStrokes: no volume is open lazily");
  cl::SparseLabels& labels = *layer.labels();
  SliceView* view = window.sliceView(SliceOrientation::XY);
  const vol::Size3 size = labels.size();
  SparseStrokeMeasurement m;
  m.slices = std::max(1, std::min<int>(slices, int(size.z)));
  const vol::Size3 k = labels.chunkShape();
  m.chunksInGrid = std::size_t(((size.x + k.x - 1) / k.x) * ((size.y + k.y - 1) / k.y) * ((size.z + k.z - 1) / k.z));
  std::vector<double> dab, empty;
  cl::BrushSettings brush;
  brush.size = 9;
  for (int s = 0; s < m.slices; ++s) {
    const std::int64_t z = (2 * s + 1) * size.z / (2 * m.slices);
    window.cursor().setPosition({size.x / 2, size.y / 2, z});
    QElapsedTimer wait;
    wait.start();
    do { // the slice drawn in full before painting: strokes are measured on a loaded view
      view->renderNow();
      QApplication::processEvents(QEventLoop::AllEvents, 20);
      if (browser.pendingBlocks() > 0) QThread::msleep(5);
    } while (browser.pendingBlocks() > 0 && wait.elapsed() < 60000);
    for (int st = 0; st < strokesPerSlice; ++st, ++m.strokes) {
      auto w = labels.openWindow(vol::sliceRegion(vol::Orientation::XY, z, 0, 0, size.x, size.y));
      {
        cl::BrushStroke stroke(w->labels(), brush);
        const double cx = double(size.x) / 2, cy = double(size.y) / 2, r = double(std::min(size.x, size.y)) / 4;
        for (int i = 0; i < 40; ++i, ++m.dabs) {
          const double a = st * 2.1 + i * 0.02;
          const vol::Vec3 p{cx + r * std::cos(a), cy + r * std::sin(a), double(z)};
          QElapsedTimer t;
          t.start();
          stroke.moveTo(w->toLocal(p));
          view->renderNow();
          dab.push_back(msSince(t));
          QElapsedTimer e;
          e.start();
          view->renderNow();
          empty.push_back(msSince(e));
        }
        stroke.finish();
      }
      w->close();
    }
  }
  m.dabMedianMs = quantileOf(dab, 0.5);
  m.dabP95Ms = quantileOf(dab, 0.95);
  m.frameMedianMs = quantileOf(empty, 0.5);
  m.frameP95Ms = quantileOf(empty, 0.95);
  m.strokeRatio = m.frameMedianMs > 0 ? m.dabMedianMs / m.frameMedianMs : 0;
  m.chunksTouched = labels.dirtyChunks().size();
  QElapsedTimer t;
  t.start();
  const cl::SparseSaveReport r = saveDir.empty() ? layer.save() : cl::saveSparseLabels(labels, saveDir);
  m.saveMs = msSince(t);
  m.chunksWritten = r.chunksWritten;
  m.bytesWritten = r.bytesWritten;
  return m;
}

} // namespace ui
