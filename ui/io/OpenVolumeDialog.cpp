#include "ui/io/OpenVolumeDialog.h"

#include "ui/io/LoadRequest.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

#include <algorithm>

namespace ui {

namespace vol = core::volume;

namespace {
QString gib(double bytes) { return QString::number(bytes / double(1ull << 30), 'f', 2) + QStringLiteral(" GiB"); }
} // namespace

OpenVolumeDialog::OpenVolumeDialog(const QString& path, const QString& format, const vol::VolumeInfo& info, QWidget* parent)
    : QDialog(parent), m_info(info) {
  setWindowTitle(tr("Open volume"));
  auto* form = new QFormLayout(this);
  auto* name = new QLabel(QFileInfo(path).fileName(), this);
  name->setToolTip(path);
  form->addRow(tr("File"), name);
  form->addRow(tr("Format"), new QLabel(format, this));
  form->addRow(tr("Volume"), new QLabel(describeVolume(info), this));
  auto* grid = new QGridLayout;
  grid->addWidget(new QLabel(tr("from"), this), 0, 1);
  grid->addWidget(new QLabel(tr("to (inclusive)"), this), 0, 2);
  const std::int64_t n[3] = {info.size.x, info.size.y, info.size.z};
  for (int i = 0; i < 3; ++i) {
    grid->addWidget(new QLabel(QStringLiteral("xyz").mid(i, 1), this), i + 1, 0);
    m_from[i] = new QSpinBox(this);
    m_to[i] = new QSpinBox(this);
    m_from[i]->setRange(0, int(n[i] - 1));
    m_to[i]->setRange(0, int(n[i] - 1));
    m_from[i]->setValue(0);
    m_to[i]->setValue(int(n[i] - 1));
    grid->addWidget(m_from[i], i + 1, 1);
    grid->addWidget(m_to[i], i + 1, 2);
    connect(m_from[i], &QSpinBox::valueChanged, this, &OpenVolumeDialog::updateSummary);
    connect(m_to[i], &QSpinBox::valueChanged, this, &OpenVolumeDialog::updateSummary);
  }
  form->addRow(tr("Crop (voxels)"), grid);
  m_downsample = new QSpinBox(this);
  // At most the longest side: a larger factor is refused by the reader (one voxel would be left).
  m_downsample->setRange(1, int(std::clamp<std::int64_t>(std::max({n[0], n[1], n[2]}), 1, 32)));
  m_downsample->setPrefix(QStringLiteral("1 / "));
  form->addRow(tr("Downsample"), m_downsample);
  m_summary = new QLabel(this);
  m_summary->setWordWrap(true);
  form->addRow(m_summary);
  m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Open"));
  form->addRow(m_buttons);
  connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(m_downsample, &QSpinBox::valueChanged, this, &OpenVolumeDialog::updateSummary);
  // Start with the smallest downsampling that fits in 70 % of the available memory.
  const double budget = 0.7 * double(vol::availableMemory());
  for (int f = 1; f <= 32; ++f) {
    m_downsample->setValue(f);
    const auto r = readOptions();
    const double voxels = double((r.crop->size.x + f - 1) / f) * double((r.crop->size.y + f - 1) / f) *
                          double((r.crop->size.z + f - 1) / f);
    if (voxels * double(vol::voxelSize(info.type) + 1) <= budget) break;
  }
  updateSummary();
}

vol::ReadOptions OpenVolumeDialog::readOptions() const {
  vol::ReadOptions r;
  vol::Region crop;
  crop.start = {m_from[0]->value(), m_from[1]->value(), m_from[2]->value()};
  crop.size = {std::max(m_to[0]->value() - m_from[0]->value() + 1, 1), std::max(m_to[1]->value() - m_from[1]->value() + 1, 1),
               std::max(m_to[2]->value() - m_from[2]->value() + 1, 1)};
  r.crop = crop;
  r.downsample = m_downsample->value();
  r.mode = vol::DownsampleMode::Mean;
  return r;
}

void OpenVolumeDialog::updateSummary() {
  const auto r = readOptions();
  const int f = r.downsample;
  vol::VolumeInfo out = m_info;
  out.size = {(r.crop->size.x + f - 1) / f, (r.crop->size.y + f - 1) / f, (r.crop->size.z + f - 1) / f};
  out.spacing = {m_info.spacing.x * f, m_info.spacing.y * f, m_info.spacing.z * f};
  const double image = double(out.size.count()) * double(vol::voxelSize(out.type));
  const double labels = double(out.size.count());
  const double available = double(vol::availableMemory());
  const bool fits = image + labels <= available;
  m_summary->setText(tr("Result: %1.\nMemory: %2 image + %3 labels; %4 available.")
                         .arg(describeVolume(out), gib(image), gib(labels), gib(available)) +
                     (fits ? QString() : tr("\nThis does not fit: crop or downsample more.")));
  m_summary->setStyleSheet(fits ? QString() : QStringLiteral("color: #e06060;"));
  m_buttons->button(QDialogButtonBox::Ok)->setEnabled(fits);
}

} // namespace ui
