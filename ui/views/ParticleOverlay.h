#pragma once
/// \file ParticleOverlay.h
/// Draws the particle label layer in the slice views: each particle tinted in its own colour
/// (Colour mode) and the selected particle outlined in kOutlineColour (Colour and Outline modes).
/// The particle id under each view pixel is sampled once per slice, pan, zoom or layer change and
/// cached, so crosshair moves cost only the blend. GUI thread only.

#include "ui/views/SliceOverlay.h"

#include <QObject>

#include <cstdint>
#include <map>
#include <vector>

namespace ui {

class ParticleLayer;

class ParticleOverlay : public QObject, public SliceOverlay {
  Q_OBJECT
public:
  enum class Mode { Off, Outline, Colour };
  /// The selected particle's outline (opaque).
  static constexpr std::uint32_t kOutlineRgb = 0xff00ff; ///< R 255, G 0, B 255

  ParticleOverlay(ParticleLayer& layer, QObject* parent = nullptr);
  ~ParticleOverlay() override;

  /// Starts drawing in \p view (not owned; the view must outlive this overlay or be detached).
  void attach(SliceView* view);
  void detach(SliceView* view);
  void setMode(Mode mode);
  Mode mode() const { return m_mode; }
  void setOpacity(double opacity);
  double opacity() const { return m_opacity; }

  void paintSlice(SliceView& view, std::uint8_t* rgba, int width, int height) override;

  /// The tint of particle \p id (packed 0xRRGGBB), the same in every view.
  static std::uint32_t particleColour(std::uint32_t id);
  /// Draws particle ids (one per view pixel, 0 = none) onto \p rgba: the \p selected particle
  /// outlined in kOutlineRgb, and with \p colour every particle tinted at \p opacity. The dense
  /// and the lazy particle overlays draw through it.
  static void paintIds(const std::uint32_t* ids, int width, int height, std::uint32_t selected, double opacity,
                       bool colour, std::uint8_t* rgba);

private:
  struct Cache {
    std::uint64_t generation = ~0ull;
    std::int64_t slice = -1;
    double centreU = 0, centreV = 0, scale = 0;
    int width = 0, height = 0;
    std::vector<std::uint32_t> ids; ///< particle id at each view pixel
  };
  void refreshAll();

  ParticleLayer& m_layer;
  Mode m_mode = Mode::Colour;
  double m_opacity = 0.35;
  std::vector<SliceView*> m_views;
  std::map<const SliceView*, Cache> m_cache;
};

} // namespace ui
