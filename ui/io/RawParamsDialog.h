#pragma once
/// \file RawParamsDialog.h
/// Asks what a raw file (or an ESRF .vol without its .info) cannot tell: size, voxel type,
/// byte order, header offset and spacing; compares the implied size with the file's. GUI thread.

#include "core/volume/io/VolumeIO.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QDialogButtonBox;

namespace ui {

class RawParamsDialog : public QDialog {
  Q_OBJECT
public:
  RawParamsDialog(const QString& path, const core::volume::RawParams& initial, QWidget* parent = nullptr);
  core::volume::RawParams params() const;

private:
  void updateCheck();
  qint64 m_fileSize = 0;
  QSpinBox* m_size[3];
  QComboBox* m_type;
  QComboBox* m_endian;
  QSpinBox* m_offset;
  QDoubleSpinBox* m_spacing;
  QLabel* m_check;
  QDialogButtonBox* m_buttons;
};

/// True when \p path needs raw parameters before it can be opened (.raw, .bin, .dat, or a .vol
/// without a .vol.info beside it).
bool needsRawParams(const QString& path);

} // namespace ui
