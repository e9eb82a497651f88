#pragma once
/// \file RecoveryStore.h
/// Autosave and crash recovery. While a project is open, the UI calls autosave() on a timer; it
/// writes the labels (run-length encoded, usually a few MB even for 1024^3) and the project state
/// to one recovery file, atomically, under
///   $CDNET_RECOVERY_DIR, else $XDG_STATE_HOME/cdnet/recovery, else ~/.local/state/cdnet/recovery,
/// in a folder named after a hash of the project's key (its path, or the image path while the
/// project has no file). A marker file says a session is running (pid and process start time);
/// endSession() at a clean exit removes marker and data. At the next start, findRecoverable()
/// lists folders whose data was left by a session that is no longer running, restore() reads
/// one back, discard() deletes it.
/// Thread affinity: capture() on the GUI thread (it reads the labels); write() on any thread;
/// the static queries on any thread.

#include "core/labels/LabelVolume.h"
#include "core/project/ProjectFile.h"

#include <cstdint>
#include <string>
#include <vector>

namespace core::labels {

/// What a recovery file holds, ready to be written (or read back).
struct RecoverySnapshot {
  std::string key;           ///< the project's key when saved
  std::string projectPath;   ///< the project file, empty for a never-saved project
  std::int64_t savedAtUnix = 0;
  std::uint64_t revision = 0; ///< LabelVolume::revision() when captured
  std::string bytes;          ///< the encoded file
};

/// A recovery found at start-up.
struct RecoveryInfo {
  std::string directory;     ///< the recovery folder (pass to restore/discard)
  std::string key;
  std::string projectPath;   ///< empty for a never-saved project
  std::string imagePath;
  std::int64_t savedAtUnix = 0;
  volume::Size3 size;        ///< label volume size
};

/// A restored recovery: the project state and the labels as last autosaved.
struct RecoveredWork {
  RecoveryInfo info;
  ProjectFile project;       ///< includes annotatedSlices
  volume::Volume labels;     ///< uint8, with spacing and origin
};

class RecoveryStore {
public:
  /// \p key identifies the work: the project file path, or for an unsaved project the image path.
  explicit RecoveryStore(std::string key, std::string root = defaultRoot());
  ~RecoveryStore();
  RecoveryStore(const RecoveryStore&) = delete;
  RecoveryStore& operator=(const RecoveryStore&) = delete;

  /// $CDNET_RECOVERY_DIR, else $XDG_STATE_HOME/cdnet/recovery, else $HOME/.local/state/cdnet/recovery.
  static std::string defaultRoot();
  /// The folder of this key's recovery data.
  const std::string& directory() const { return m_dir; }
  const std::string& key() const { return m_key; }

  /// Writes the "session running" marker. Returns false (and writes nothing) when another running
  /// process holds this key's marker (the same project open twice).
  bool beginSession();
  /// Clean exit (or the user discarded the work): removes the marker and the recovery data.
  void endSession();

  /// Encodes the labels and the project state (GUI thread; about 1 GB/s of labels).
  static RecoverySnapshot capture(const LabelVolume& labels, const ProjectFile& project, const std::string& key,
                                  const std::string& projectPath);
  /// Writes a snapshot atomically into directory() (any thread).
  void write(const RecoverySnapshot& snapshot) const;
  /// capture() + write(), and remembers the revision saved.
  void autosave(const LabelVolume& labels, const ProjectFile& project, const std::string& projectPath = {});
  /// True when the labels changed since the last autosave() (or none happened yet and they are modified).
  bool needsAutosave(const LabelVolume& labels) const;

  /// Recovery data under \p root left by sessions that are no longer running, newest first.
  static std::vector<RecoveryInfo> findRecoverable(const std::string& root = defaultRoot());
  /// Reads a recovery back. Throws std::runtime_error naming the file when it is damaged.
  static RecoveredWork restore(const RecoveryInfo& info);
  /// Deletes a recovery folder.
  static void discard(const RecoveryInfo& info);

  /// Encodes / decodes just the voxels (run-length), exposed for tests and tools.
  static std::string encodeLabels(const volume::Volume& labels);
  static volume::Volume decodeLabels(const std::string& bytes, const std::string& source);

private:
  std::string m_key;
  std::string m_dir;
  bool m_ownsMarker = false;
  std::uint64_t m_savedRevision = 0;
  bool m_saved = false;
};

} // namespace core::labels
