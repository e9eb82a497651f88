#pragma once
/// \file SliceTransform.h
/// Which volume axes a slice view shows, and how its device pixels map to voxels.
/// Plane coordinates are micrometres from the corner of voxel (0,0) of the slice; voxel i along an
/// axis covers [i, i+1) x spacing. Pure value types, any thread.

#include "core/volume/SliceGeometry.h"
#include "core/volume/Volume.h"
#include "ui/model/VoxelAxes.h"

#include <QColor>
#include <QString>

#include <cmath>

namespace ui {

/// The three slice views: core's orientations (core/volume/SliceGeometry.h, one vocabulary for
/// labels, tools and views). XY shows x to the right and y downwards (as an image file); XZ and
/// YZ show z upwards.
using SliceOrientation = core::volume::Orientation;

struct SliceAxes {
  int u = 0;         ///< volume axis along screen x (0 = x, 1 = y, 2 = z)
  int v = 1;         ///< volume axis along screen y
  int normal = 2;    ///< volume axis the slice index runs along
  bool vDown = true; ///< true when v grows downwards on screen
};

SliceAxes sliceAxes(SliceOrientation o);
/// "XY", "XZ", "YZ".
QString orientationName(SliceOrientation o);
/// The view's colour (3D Slicer's convention: red, green, yellow); the crosshair line that shows
/// a view's plane in the other views has this colour too.
QColor orientationColour(SliceOrientation o);
/// The orientation whose slice runs along volume axis \p normal (2 -> XY, 1 -> XZ, 0 -> YZ).
SliceOrientation orientationWithNormal(int normal);

/// The pan and zoom of one slice view: device pixel (px, py), top-left origin, to plane micrometres.
struct SliceTransform {
  double centreU = 0, centreV = 0; ///< plane point at the centre of the view, micrometres
  double scale = 1;                ///< micrometres per device pixel
  int width = 0, height = 0;       ///< view size, device pixels
  bool vDown = true;

  double planeU(double px) const { return centreU + (px - width / 2.0) * scale; }
  double planeV(double py) const { return centreV + (vDown ? 1 : -1) * (py - height / 2.0) * scale; }
  double pixelX(double u) const { return (u - centreU) / scale + width / 2.0; }
  double pixelY(double v) const { return (vDown ? 1 : -1) * (v - centreV) / scale + height / 2.0; }
  /// Fits a plane of \p extentU x \p extentV micrometres into the view with a small margin.
  void fit(double extentU, double extentV);
};

/// Voxel index along an axis of \p spacing micrometres for plane coordinate \p planeCoord.
inline std::int64_t voxelIndex(double planeCoord, double spacing) { return std::int64_t(std::floor(planeCoord / spacing)); }

} // namespace ui
