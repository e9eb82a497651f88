#pragma once
/// \file FrameHold.h
/// Holds back a window's next frame for a few milliseconds while a slice view waits for blocks
/// that are about to arrive, so that a slice change shows the finished picture in one frame
/// instead of a coarse frame followed by a refined one. Every frame of a window with OpenGL
/// widgets composes the whole window (10-18 ms with software OpenGL); on a warm page cache
/// the blocks of a slice change arrive in 1-3 ms, well before a coarse frame would be done.
///
/// A view calls hold() after asking for the blocks of a new slice and release() when they are
/// all there (or failed). The window's UpdateRequest events are held back until no view holds
/// or kMaxHoldMs have passed since the first hold; then one frame draws everything that changed.
/// Nothing is lost: the held request is posted again. GUI thread only.

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

class QWidget;

namespace ui {

class FrameHold : public QObject {
  Q_OBJECT
public:
  /// The longest a frame is held back: about one frame at 60 Hz. A cold read takes longer and
  /// gets the coarse picture after this, then the refined one, as without a hold.
  static constexpr int kMaxHoldMs = 16;

  /// The hold of \p widget's window (created on first use, a child of the window).
  static FrameHold* of(QWidget* widget);

  /// \p holder (a view) waits for blocks: hold the window's frames (at most kMaxHoldMs from the
  /// first hold of this round).
  void hold(const void* holder);
  /// \p holder has what it waited for; the frame goes out when no one else holds.
  void release(const void* holder);
  bool holding() const { return !m_holders.isEmpty(); }
  /// The longest hold in milliseconds (0: never hold); kMaxHoldMs unless the environment variable
  /// CDNET_FRAME_HOLD_MS says otherwise.
  void setMaxHoldMs(int ms) { m_maxMs = ms; }
  int maxHoldMs() const { return m_maxMs; }
  /// Frames held back since creation (for tests and benchmarks).
  int heldFrames() const { return m_held; }

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

private:
  explicit FrameHold(QWidget* window);
  void releaseAll();

  QWidget* m_window;
  QSet<const void*> m_holders;
  QTimer m_timeout;
  QPointer<QObject> m_pending; ///< the receiver of a held UpdateRequest
  int m_held = 0;
  int m_maxMs = kMaxHoldMs;
};

} // namespace ui
