// Titles and descriptions of the particle table's columns in the user's language. The English
// texts equal core::analysis::particleColumns() (titles derived from the names as before);
// test_translations checks that every column has a translation, so a new core column is noticed.
#include "ui/model/ParticleColumnText.h"

#include <QCoreApplication>

namespace ui {

namespace {
struct ColumnText {
  const char* name;
  const char* title;
  const char* description;
};

// clang-format off
const ColumnText kColumns[] = {
    {"id", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Id"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Particle id, the value in the particle label volume")},
    {"centroid_x", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Centroid x"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Centroid x (volume origin + index * spacing)")},
    {"centroid_y", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Centroid y"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Centroid y")},
    {"centroid_z", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Centroid z"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Centroid z")},
    {"depth", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Depth"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Centroid distance from the chosen electrode face (outer face of the first or last slice)")},
    {"filled_voxels", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Filled voxels"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Voxels of the particle with its cracks and holes filled")},
    {"filled_volume", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Filled volume"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Volume with cracks and enclosed holes filled")},
    {"solid_volume", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Solid volume"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Volume of solid voxels (grey value >= threshold, not crack)")},
    {"crack_volume", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Crack volume"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Volume of crack-mask voxels inside the particle")},
    {"void_volume", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Void volume"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Volume of enclosed dark voxels that are not in the crack mask (pores, missed cracks)")},
    {"crack_fraction", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Crack fraction"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Crack volume fraction (damage degree) = crack_volume / filled_volume")},
    {"damage_fraction", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Damage fraction"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "(filled_volume - solid_volume) / filled_volume = crack + void fraction")},
    {"crack_pieces", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Crack pieces"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Connected pieces (26-connected) of the crack inside the particle")},
    {"eq_diameter", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Eq diameter"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Equivalent sphere diameter (6 V / pi)^(1/3) of the filled volume")},
    {"surface_area", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Surface area"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Surface area, Cauchy-Crofton estimate over 13 lattice directions")},
    {"sphericity", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Sphericity"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "36 pi V^2 / S^3 (1 for a sphere)")},
    {"elongation", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Elongation"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "sqrt(l2 / l1) of the inertia (covariance) eigenvalues l1 >= l2 >= l3 (1 = round)")},
    {"flatness", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Flatness"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "sqrt(l3 / l2) (1 = round)")},
    {"major_axis_angle", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Major axis angle"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Angle between the longest principal axis and the depth axis")},
    {"feret_diameter", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Feret diameter"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Maximum caliper diameter")},
    {"mean_grey", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Mean grey"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Mean grey value of the solid voxels (of all voxels when none is solid)")},
    {"packing_density", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Packing density"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Fraction of voxels holding a particle in the sphere of radius factor * eq_diameter around the centroid (inside the volume)")},
    {"nn_distance", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Nn distance"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Distance from the centroid to the nearest other particle's centroid (empty when alone)")},
    {"nn_id", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Nn id"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Id of that nearest particle (empty when alone)")},
    {"touching_neighbours", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Touching neighbours"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "Particles sharing at least one voxel face with this one")},
    {"border", QT_TRANSLATE_NOOP("ui::ParticleColumns", "Border"),
     QT_TRANSLATE_NOOP("ui::ParticleColumns", "1 when the particle touches a face of the volume (cut: sizes are partial)")},
};
// clang-format on

const ColumnText* find(const std::string& name) {
  for (const ColumnText& c : kColumns)
    if (name == c.name) return &c;
  return nullptr;
}
} // namespace

QString particleColumnTitle(const std::string& name) {
  const ColumnText* c = find(name);
  return c ? QCoreApplication::translate("ui::ParticleColumns", c->title) : QString();
}

QString particleColumnDescription(const std::string& name) {
  const ColumnText* c = find(name);
  return c ? QCoreApplication::translate("ui::ParticleColumns", c->description) : QString();
}

} // namespace ui
