// Every writer (the pyramid writers of HDF5 and OME-Zarr too) and every save path on a full file
// system: a small tmpfs (mounted by the test in a private mount namespace, as root) holds a valid
// old file; the disk is filled, leaving 0 bytes, a little, or a good part of what the new file
// needs; the write must fail with an error that names the file and the system's reason, the old
// file must be byte-identical and no temporary may remain. Exits 77 (skipped) only when a tmpfs
// cannot be mounted (not root).
#include "FaultTestUtil.h"

#include "core/analysis/Csv.h"
#include "core/files/AtomicFile.h"
#include "core/project/ProjectIO.h"
#include "core/project/RecoveryStore.h"
#include "core/ml/Model.h"
#include "core/volume/io/VolumeIO.h"

#include <QtTest>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

using namespace faulttest;
using namespace core::volume;
namespace labels = core::labels;

namespace {

std::string g_mount; // the tmpfs, set by main()
constexpr const char* kFiller = "filler";
constexpr const char* kNoSpace = "No space left on device";

std::uint64_t freeBytes() {
  struct statvfs s {};
  ::statvfs(g_mount.c_str(), &s);
  return std::uint64_t(s.f_bavail) * s.f_frsize;
}

// Fills the tmpfs, then gives back \p leave bytes.
void fill(std::uint64_t leave) {
  const std::string path = g_mount + "/" + kFiller;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  QVERIFY(fd >= 0);
  std::vector<char> block(64 << 10, 'f');
  std::uint64_t size = 0;
  for (std::size_t n = block.size(); n >= 512;) {
    const ssize_t put = ::write(fd, block.data(), n);
    if (put > 0) size += std::uint64_t(put);
    else n /= 2;
  }
  QCOMPARE(freeBytes(), std::uint64_t(0));
  if (leave > 0) QCOMPARE(::ftruncate(fd, off_t(size - std::min(size, leave))), 0);
  ::close(fd);
}

void release() { fs::remove(fs::path(g_mount) / kFiller); }

void clearMount() {
  for (const auto& e : fs::directory_iterator(g_mount)) fs::remove_all(e.path());
}

// The heart of every case: \p prepare writes the old content (nothing for outputs that are never
// overwritten), \p write attempts the new one, which must fail on the full disk with a message
// naming \p named and the reason, leaving the file system exactly as it was.
void failsCleanly(const std::function<void()>& prepare, const std::function<void()>& write, const std::string& named,
                  std::vector<std::uint64_t> leaves = {0, 16 << 10, 160 << 10}) {
  clearMount();
  prepare();
  const auto before = snapshot(g_mount);
  for (const std::uint64_t leave : leaves) {
    fill(leave);
    std::string error;
    try {
      write();
    } catch (const std::exception& e) {
      error = e.what();
    }
    release();
    QVERIFY2(!error.empty(), qPrintable(QString("the write to %1 with %2 bytes free reported no error")
                                            .arg(QString::fromStdString(named)).arg(leave)));
    QVERIFY2(error.find(named) != std::string::npos && error.find(kNoSpace) != std::string::npos, error.c_str());
    const auto after = snapshot(g_mount);
    if (after != before) {
      for (const auto& [name, bytes] : after)
        if (!before.count(name) || before.at(name) != bytes) qWarning("changed or new: %s", name.c_str());
      for (const auto& [name, bytes] : before)
        if (!after.count(name)) qWarning("gone: %s", name.c_str());
      QFAIL(qPrintable(QString("the failed write to %1 (%2 bytes free) changed the folder")
                           .arg(QString::fromStdString(named)).arg(leave)));
    }
  }
}

std::string at(const std::string& name) { return g_mount + "/" + name; }

} // namespace

class TestFullDisk : public QObject {
  Q_OBJECT
  QTemporaryDir m_disk; // on the real disk: inputs of the command line cases

private Q_SLOTS:
  void initTestCase() { QVERIFY(m_disk.isValid()); }

  void volumeWriters_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("format");
    QTest::addColumn<bool>("compress");
    QTest::addColumn<bool>("bigTiff");
    QTest::newRow("tiff") << "old.tif" << "tiff" << false << false;
    QTest::newRow("tiff deflate") << "old.tiff" << "tiff" << true << false;
    QTest::newRow("bigtiff") << "old.tif" << "tiff" << false << true;
    QTest::newRow("nrrd") << "old.nrrd" << "nrrd" << false << false;
    QTest::newRow("nrrd gzip") << "old.nrrd" << "nrrd" << true << false;
    QTest::newRow("hdf5") << "old.h5" << "hdf5" << false << false;
    QTest::newRow("hdf5 deflate") << "old.h5" << "hdf5" << true << false;
    QTest::newRow("mha") << "old.mha" << "mha" << false << false;
    QTest::newRow("mha compressed") << "old.mha" << "mha" << true << false;
    QTest::newRow("nifti") << "old.nii" << "nifti" << false << false;
    QTest::newRow("nifti gzip") << "old.nii.gz" << "nifti" << false << false;
  }
  void volumeWriters() {
    QFETCH(QString, name);
    QFETCH(QString, format);
    QFETCH(bool, compress);
    QFETCH(bool, bigTiff);
    WriteOptions o;
    o.format = format.toStdString();
    o.compress = compress;
    if (bigTiff) o.bigTiff = true;
    const std::string path = at(name.toStdString());
    const Volume old = randomVolume({40, 30, 4}, VoxelType::UInt16, 1);
    const Volume next = randomVolume({128, 128, 24}, VoxelType::UInt16, 2); // 768 KiB
    failsCleanly([&] { writeVolume(old, path, o); }, [&] { writeVolume(next, path, o); }, path);
    // The old file still reads, and a write with room succeeds.
    QVERIFY(std::memcmp(readVolume(path).data(), old.data(), old.bytes()) == 0);
    writeVolume(next, path, o);
    QVERIFY(std::memcmp(readVolume(path).data(), next.data(), next.bytes()) == 0);
  }

  void sliceFolderWriter() {
    // A slice folder is never written over a non-empty one: nothing may appear.
    const std::string path = at("slices");
    const Volume next = randomVolume({128, 128, 24}, VoxelType::UInt16, 3);
    failsCleanly([] {}, [&] { writeVolume(next, path); }, path);
    QVERIFY(!fs::exists(path));
  }

  void pyramidWriters() {
    // HDF5 with levels over an old file; OME-Zarr never over a non-empty folder, so nothing may appear.
    WriteOptions o;
    o.pyramidLevels = 3;
    const Volume old = randomVolume({40, 30, 4}, VoxelType::UInt16, 1);
    const Volume next = randomVolume({128, 128, 24}, VoxelType::UInt16, 4);
    const std::string h5 = at("old.h5");
    failsCleanly([&] { writeVolume(old, h5, o); }, [&] { writeVolume(next, h5, o); }, h5);
    QVERIFY(std::memcmp(readVolume(h5).data(), old.data(), old.bytes()) == 0);
    const std::string zarr = at("p.zarr");
    for (const char* c : {"none", "zstd"}) {
      o.zarrCompressor = c;
      failsCleanly([] {}, [&] { writeVolume(next, zarr, o); }, zarr);
      QVERIFY(!fs::exists(zarr));
    }
    writeVolume(next, zarr, o); // with room
    QVERIFY(std::memcmp(readVolume(zarr).data(), next.data(), next.bytes()) == 0);
  }

  void atomicFile() {
    // Project files, cluster manifests and task markers, recovery markers, CSV, TorchScript.
    const std::string path = at("manifest.json");
    const std::string next(400 << 10, 'n');
    failsCleanly([&] { core::files::writeFileAtomically(path, std::string(1000, 'o')); },
                 [&] { core::files::writeFileAtomically(path, next); }, path);
  }

  void projectAndLabels() {
    const std::string project = at("work.cdnet"), labelsPath = labels::defaultLabelsPath(project);
    VolumeInfo info;
    info.size = {96, 96, 48}; // 432 KiB of labels
    labels::ProjectFile p;
    p.imagePath = "/data/image.tif";
    failsCleanly(
        [&] {
          labels::LabelVolume old(info);
          old.edit("Fill", [](labels::LabelEdit& e) { e.fill({{0, 0, 0}, {10, 10, 1}}, 2); });
          labels::saveProject(p, project, old);
        },
        [&] {
          labels::LabelVolume next(randomVolume(info.size, VoxelType::UInt8, 4));
          next.edit("Fill", [](labels::LabelEdit& e) { e.fill({{0, 0, 1}, {10, 10, 1}}, 1); });
          labels::ProjectFile q = p;
          labels::saveProject(q, project, next);
        },
        labelsPath);
    // The project alone (labels unchanged): a large view-settings entry makes it 400 KiB.
    labels::ProjectFile big = p;
    big.viewSettingsJson = "{\"pad\":\"" + std::string(400 << 10, 'p') + "\"}";
    failsCleanly([&] { p.save(project); }, [&] { big.save(project); }, project);
  }

  void autosave() {
    const std::string root = at("recovery");
    VolumeInfo info;
    info.size = {64, 64, 32};
    labels::ProjectFile p;
    p.imagePath = "/data/image.tif";
    std::unique_ptr<labels::RecoveryStore> store;
    failsCleanly(
        [&] {
          store = std::make_unique<labels::RecoveryStore>("/data/image.tif", root);
          QVERIFY(store->beginSession());
          labels::LabelVolume old(info);
          old.edit("Fill", [](labels::LabelEdit& e) { e.fill({{0, 0, 0}, {10, 10, 1}}, 2); });
          store->autosave(old, p);
        },
        [&] {
          Volume noisy = randomVolume(info.size, VoxelType::UInt8, 5);
          for (std::int64_t i = 0; i < noisy.voxelCount(); ++i) noisy.as<std::uint8_t>()[i] %= 3;
          labels::LabelVolume next(std::move(noisy));
          next.edit("Fill", [](labels::LabelEdit& e) { e.fill({{0, 0, 1}, {10, 10, 1}}, 1); });
          store->autosave(next, p);
        },
        root);
    store.reset(); // ends the session
  }

  void csv() {
    const std::string path = at("particles.csv");
    const auto table = [](std::int64_t rows) {
      core::analysis::Table t;
      for (const char* c : {"id", "volume", "crack_fraction"}) t.addColumn(c, "", core::analysis::ColumnKind::Real, c);
      t.resizeRows(rows);
      for (std::int64_t r = 0; r < rows; ++r)
        for (int c = 0; c < 3; ++c) t.set(r, c, double(r) * 1.234567 + c);
      return t;
    };
    failsCleanly([&] { core::analysis::writeCsv(table(10), path); }, [&] { core::analysis::writeCsv(table(20000), path); },
                 path);
  }

  void checkpointAndExport() {
    using namespace core::ml;
    const Model old = Model::create(ModelOptions::paper(2), Device{}, 1);
    const Model next = Model::create(ModelOptions::paper(6), Device{}, 2);
    const std::string ckpt = at("last.pt"), script = at("model.pt");
    failsCleanly([&] { old.saveCheckpoint(ckpt); }, [&] { next.saveCheckpoint(ckpt); }, ckpt);
    QCOMPARE(Model::load(ckpt).options().baseWidth, 2);
    failsCleanly([&] { old.exportTorchScript(script); }, [&] { next.exportTorchScript(script); }, script);
  }

  void commandLineConvertAndPredict() {
    // The user's view: exit 1, the reason on stderr, no "wrote", the old file intact (issue 20,
    // items 1 and 2: MHA, NIfTI and HDF5 predictions used to print "wrote" and exit 0).
    const std::string input = (fs::path(m_disk.path().toStdString()) / "image.nrrd").string();
    writeVolume(randomVolume({64, 64, 48}, VoxelType::UInt16, 6), input);
    const std::string model = (fs::path(m_disk.path().toStdString()) / "model.pt").string();
    core::ml::Model::create(core::ml::ModelOptions::paper(2), core::ml::Device{}, 3).saveCheckpoint(model);
    struct Case {
      QString out;
      QStringList args, small; // small: the arguments that make the old file small
    };
    const QString in = QString::fromStdString(input);
    const std::vector<Case> cases = {
        {"converted.mha", {"convert", in}, {"--crop", "0,0,0,8,8,2"}},
        {"converted.nii", {"convert", in}, {"--crop", "0,0,0,8,8,2"}},
        {"prediction.h5",
         {"predict", "--model", QString::fromStdString(model), "--tile", "64", "--overlap", "16", "--input", in, "--out"},
         {"--slices", "0:2"}},
    };
    for (const Case& c : cases) {
      const QString path = QString::fromStdString(at(c.out.toStdString()));
      Run r;
      failsCleanly(
          [&] {
            const Run first = cdnet(QStringList(c.args) << path << c.small);
            QVERIFY2(first.code == 0, qPrintable(first.err));
          },
          [&] {
            r = cdnet(QStringList(c.args) << path);
            if (r.code != 0) throw std::runtime_error(r.err.toStdString());
          },
          path.toStdString(), {0, 160 << 10});
      QVERIFY2(r.code == 1 && !r.out.contains("wrote"), qPrintable(r.out + r.err));
    }
  }

  void commandLinePyramid() {
    // `cdnet pyramid` on a full disk: exit 1 naming the output, no partial pyramid or temporary.
    const std::string input = (fs::path(m_disk.path().toStdString()) / "pyramid-in.nrrd").string();
    writeVolume(randomVolume({96, 96, 48}, VoxelType::UInt16, 8), input);
    for (const char* name : {"p.zarr", "p.h5"}) {
      const QString path = QString::fromStdString(at(name));
      Run r;
      failsCleanly([] {},
                   [&] {
                     r = cdnet({"pyramid", QString::fromStdString(input), path, "--levels", "3", "--chunk", "32,32,16"});
                     if (r.code != 0) throw std::runtime_error(r.err.toStdString());
                   },
                   path.toStdString());
      QVERIFY2(r.code == 1 && !r.out.contains("wrote"), qPrintable(r.out + r.err));
    }
  }
};

int main(int argc, char** argv) {
  // A private mount namespace: the tmpfs is seen by this process and its children only, and goes
  // away with them whatever happens.
  char dir[] = "/tmp/cdnet-full-disk-XXXXXX";
  if (!::mkdtemp(dir)) return 1;
  // Skipped only where this process may not mount (not root, no user namespaces, no tmpfs);
  // any other failure is a failure.
  const auto skip = [&](const char* what) {
    const int err = errno;
    const bool impossible = err == EPERM || err == EACCES || err == ENOSYS || err == ENODEV;
    std::fprintf(stderr, "%s%s (%s)%s\n", impossible ? "SKIP: " : "FAIL: ", what, std::strerror(err),
                 impossible ? ": needs root to mount a tmpfs" : "");
    ::rmdir(dir);
    return impossible ? 77 : 1;
  };
  if (::unshare(CLONE_NEWNS) != 0) return skip("cannot create a mount namespace");
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return skip("cannot make mounts private");
  if (::mount("tmpfs", dir, "tmpfs", 0, "size=4m") != 0) return skip("cannot mount a tmpfs");
  g_mount = dir;
  int rc = 0;
  {
    QCoreApplication app(argc, argv);
    TestFullDisk test;
    rc = QTest::qExec(&test, argc, argv);
  }
  ::umount2(dir, MNT_DETACH);
  ::rmdir(dir);
  return rc;
}

#include "test_full_disk.moc"
