#pragma once
/// \file SparseLabelLayer.h
/// The labels of a volume opened lazily (issue 16, "labels on big volumes"): a
/// core::labels::SparseLabels on the image's block grid, saved as "<image>.labels.zarr" next to
/// the image (core/labels/SparseLabelStore.h; only changed chunks are written). LazyBrowser opens
/// and closes it with the volume; the label tools paint into it and the lazy slice views draw it.
/// Its signals turn the store's listener calls into Qt signals (volume coordinates).
/// GUI thread only.

#include "core/labels/SparseLabelStore.h"
#include "core/volume/lazy/LazyVolume.h"

#include <QObject>
#include <QString>

#include <memory>
#include <string>

class QAction;

namespace ui {

class SparseLabelLayer : public QObject {
  Q_OBJECT
public:
  explicit SparseLabelLayer(QObject* parent = nullptr);
  ~SparseLabelLayer() override;

  /// Opens the labels saved at \p labelPath for \p volume (empty labels on its level-0 block grid
  /// when there are none). Throws std::runtime_error naming the file when they cannot be opened;
  /// the layer is closed then.
  void open(std::shared_ptr<core::volume::LazyVolume> volume, const std::string& labelPath);
  /// Saves changed labels (a failure is reported through failed()), then drops them.
  void close();
  bool isOpen() const { return bool(m_labels); }
  core::labels::SparseLabels* labels() const { return m_labels.get(); }
  const std::shared_ptr<core::volume::LazyVolume>& volume() const { return m_volume; }
  const std::string& path() const { return m_path; }

  /// Drops the unsaved edits without writing: the labels (and no undo history) as last saved. A
  /// failure to reopen them is reported through failed(); the layer is closed then.
  void discardChanges();
  /// Writes the changed chunks (throws std::runtime_error naming the file on failure).
  core::labels::SparseSaveReport save();
  /// File > "Save labels of the lazy volume" (Ctrl+Alt+S): save() with a status message.
  QAction* saveAction() const { return m_saveAction; }
  /// Reports a failure to read the labels (a damaged chunk) once per message.
  void reportReadError(const std::string& message);

Q_SIGNALS:
  void labelsChanged(const core::volume::Region& region);
  void annotatedSlicesChanged();
  void undoStateChanged();
  void openChanged(bool open);
  /// close() begins: finish or cancel any edit now (it is saved, then the labels go).
  void aboutToClose();
  /// A save finished or failed, or a chunk could not be read (for the status bar).
  void message(const QString& text);
  void failed(const QString& text);

private:
  struct Relay;
  std::shared_ptr<core::volume::LazyVolume> m_volume;
  std::unique_ptr<core::labels::SparseLabels> m_labels;
  std::unique_ptr<Relay> m_relay;
  std::string m_path, m_lastError;
  QAction* m_saveAction = nullptr;
  bool m_discarding = false; ///< close() without saving (discardChanges)
};

} // namespace ui
