#pragma once
/// \file OpenVolumeDialog.h
/// Before reading a volume: what the file holds, and which part to read (crop) at which
/// resolution (downsample), with the memory it will take against what is available. GUI thread.

#include "core/volume/io/VolumeIO.h"

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QSpinBox;

namespace ui {

class OpenVolumeDialog : public QDialog {
  Q_OBJECT
public:
  OpenVolumeDialog(const QString& path, const QString& format, const core::volume::VolumeInfo& info,
                   QWidget* parent = nullptr);
  core::volume::ReadOptions readOptions() const;

private:
  void updateSummary();
  core::volume::VolumeInfo m_info;
  QSpinBox* m_from[3];
  QSpinBox* m_to[3];
  QSpinBox* m_downsample;
  QLabel* m_summary;
  QDialogButtonBox* m_buttons;
};

} // namespace ui
