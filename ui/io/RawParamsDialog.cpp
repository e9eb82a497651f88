#include "ui/io/RawParamsDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>

namespace ui {

namespace vol = core::volume;

bool needsRawParams(const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QLatin1String("raw") || suffix == QLatin1String("bin") || suffix == QLatin1String("dat")) return true;
  if (suffix == QLatin1String("vol")) return !QFileInfo::exists(path + QStringLiteral(".info"));
  return false;
}

RawParamsDialog::RawParamsDialog(const QString& path, const vol::RawParams& initial, QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Raw volume parameters"));
  m_fileSize = QFileInfo(path).size();
  auto* form = new QFormLayout(this);
  auto* name = new QLabel(QFileInfo(path).fileName(), this);
  name->setToolTip(path);
  form->addRow(tr("File"), name);
  auto* sizeRow = new QHBoxLayout;
  const std::int64_t init[3] = {initial.size.x, initial.size.y, initial.size.z};
  for (int i = 0; i < 3; ++i) {
    m_size[i] = new QSpinBox(this);
    m_size[i]->setRange(1, 1 << 20);
    m_size[i]->setValue(int(std::max<std::int64_t>(init[i], 1)));
    m_size[i]->setPrefix(QStringLiteral("xyz").mid(i, 1) + QStringLiteral(" "));
    sizeRow->addWidget(m_size[i]);
  }
  form->addRow(tr("Size (voxels)"), sizeRow);
  m_type = new QComboBox(this);
  for (auto t : {vol::VoxelType::UInt8, vol::VoxelType::UInt16, vol::VoxelType::UInt32, vol::VoxelType::Float32})
    m_type->addItem(QString::fromLatin1(vol::toString(t)), int(t));
  m_type->setCurrentIndex(m_type->findData(int(initial.type)));
  form->addRow(tr("Voxel type"), m_type);
  m_endian = new QComboBox(this);
  m_endian->addItem(tr("Little endian (PC)"), false);
  m_endian->addItem(tr("Big endian"), true);
  m_endian->setCurrentIndex(initial.bigEndian ? 1 : 0);
  form->addRow(tr("Byte order"), m_endian);
  m_offset = new QSpinBox(this);
  m_offset->setRange(0, std::numeric_limits<int>::max());
  m_offset->setValue(int(std::min<std::uint64_t>(initial.headerOffset, std::uint64_t(std::numeric_limits<int>::max()))));
  m_offset->setSuffix(tr(" bytes"));
  form->addRow(tr("Header to skip"), m_offset);
  m_spacing = new QDoubleSpinBox(this);
  m_spacing->setDecimals(5);
  m_spacing->setRange(1e-5, 1e6);
  m_spacing->setValue(initial.spacing.x);
  m_spacing->setSuffix(QStringLiteral(" \u00b5m"));
  form->addRow(tr("Voxel size"), m_spacing);
  m_check = new QLabel(this);
  m_check->setWordWrap(true);
  form->addRow(m_check);
  m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  form->addRow(m_buttons);
  connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  for (auto* s : m_size) connect(s, &QSpinBox::valueChanged, this, &RawParamsDialog::updateCheck);
  connect(m_offset, &QSpinBox::valueChanged, this, &RawParamsDialog::updateCheck);
  connect(m_type, qOverload<int>(&QComboBox::currentIndexChanged), this, &RawParamsDialog::updateCheck);
  updateCheck();
}

vol::RawParams RawParamsDialog::params() const {
  vol::RawParams p;
  p.size = {m_size[0]->value(), m_size[1]->value(), m_size[2]->value()};
  p.type = vol::VoxelType(m_type->currentData().toInt());
  p.bigEndian = m_endian->currentData().toBool();
  p.headerOffset = std::uint64_t(m_offset->value());
  p.spacing = {m_spacing->value(), m_spacing->value(), m_spacing->value()};
  return p;
}

void RawParamsDialog::updateCheck() {
  const vol::RawParams p = params();
  const double need = double(p.size.count()) * double(vol::voxelSize(p.type)) + double(p.headerOffset);
  const bool fits = need <= double(m_fileSize);
  m_check->setText(tr("Needs %1 bytes; the file has %2.").arg(qint64(need)).arg(m_fileSize) +
                   (fits ? (need < double(m_fileSize) ? tr(" The rest of the file is ignored.") : QString())
                         : tr(" The file is too short for these parameters.")));
  m_check->setStyleSheet(fits ? QString() : QStringLiteral("color: #e06060;"));
  m_buttons->button(QDialogButtonBox::Ok)->setEnabled(fits);
}

} // namespace ui
