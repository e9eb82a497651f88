#pragma once
/// \file WheelGuard.h
/// Keeps the mouse wheel from changing values by accident: spin boxes and combo boxes take the
/// wheel only while they have the keyboard focus (a click or Tab into them). Unfocused, the wheel
/// passes to the panel, which scrolls. Installed once, application-wide, by the main window.
/// GUI thread only.

#include <QObject>

namespace ui {

class WheelGuard : public QObject {
  Q_OBJECT
public:
  using QObject::QObject;
  /// Installs one guard on the application (a second call does nothing); it lives as long as
  /// the application.
  static void installOnApplication();

protected:
  bool eventFilter(QObject* watched, QEvent* event) override;
};

} // namespace ui
