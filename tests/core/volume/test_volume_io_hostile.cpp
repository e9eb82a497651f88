// Hostile input of issue 20 for the readers: data shorter than the header says in every format
// (MetaImage LOCAL, .mhd + .raw and compressed data that inflates short included), MetaImage and
// NIfTI headers that made ITK hang or abort, sizes and offsets that overflow (crop corners, ESRF
// and NRRD fields, a downsampling factor far above the size), and the crop overflow through a
// project file. Each bad input runs in a child process with a time limit, so that a hang or an
// abort fails the test instead of stopping it; each must give a std::runtime_error naming the file.
#include "IoTestUtil.h"

#include "core/project/ProjectFile.h"

#include <QTemporaryDir>
#include <climits>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sys/wait.h>
#include <unistd.h>

using namespace core::volume;
using namespace iotest;
namespace fs = std::filesystem;

namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void cutEnd(const std::string& path, std::uint64_t bytes) { fs::resize_file(path, fs::file_size(path) - bytes); }

// Runs \p f in a child process with a time limit: true when it throws a std::runtime_error whose
// message contains every one of \p parts. A hang (SIGALRM), an abort or a crash is false.
template <class F> bool failsCleanly(F&& f, const QStringList& parts, int seconds = 30) {
  const pid_t pid = fork();
  if (pid == 0) {
    alarm(unsigned(seconds));
    try {
      f();
    } catch (const std::runtime_error& e) {
      const QString msg = QString::fromUtf8(e.what());
      for (const auto& p : parts)
        if (!msg.contains(p)) {
          std::fprintf(stderr, "message '%s' lacks '%s'\n", e.what(), qPrintable(p));
          _exit(2);
        }
      _exit(0);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "not a runtime_error: %s\n", e.what());
      _exit(3);
    }
    std::fprintf(stderr, "no error\n");
    _exit(1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) {
    qWarning("the reader was killed by signal %d (%s)", WTERMSIG(status),
             WTERMSIG(status) == SIGALRM ? "it hung" : strsignal(WTERMSIG(status)));
    return false;
  }
  return WEXITSTATUS(status) == 0;
}

// Opens and reads the whole of \p path.
auto readsAll(const std::string& path, const OpenOptions& o = {}) {
  return [path, o] { (void)openVolume(path, o)->read(); };
}

// Replaces the line of MetaImage \p key ("" removes it; a missing key is added before
// ElementDataFile), leaving the voxels after the header as they are.
void setHeaderLine(const std::string& path, const std::string& key, const std::string& line) {
  std::string text = readAll(path);
  std::size_t at = text.rfind("\n" + key + " =", text.find("ElementDataFile"));
  if (text.compare(0, key.size() + 2, key + " =") == 0) at = 0;
  else if (at != std::string::npos) ++at;
  if (at == std::string::npos) {
    text.insert(text.find("ElementDataFile"), line + "\n");
  } else {
    const std::size_t end = text.find('\n', at) + 1;
    text.replace(at, end - at, line.empty() ? std::string() : line + "\n");
  }
  writeText(path, text);
}

void putBytes(const std::string& path, std::size_t at, const void* v, std::size_t n) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(std::streamoff(at));
  f.write(static_cast<const char*>(v), std::streamsize(n));
}
void putI16(const std::string& path, std::size_t at, std::int16_t v) { putBytes(path, at, &v, 2); }
void putF32(const std::string& path, std::size_t at, float v) { putBytes(path, at, &v, 4); }

} // namespace

class TestVolumeIoHostile : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void metaImageShortDataIsAnError() {
    QTemporaryDir dir;
    const Volume v = makeVolume({6, 5, 4}, VoxelType::UInt16, 3);
    // LOCAL data cut by one byte and by half: ITK filled the rest with zeros and said nothing.
    for (std::uint64_t cut : {std::uint64_t(1), v.bytes() / 2}) {
      const std::string mha = dir.filePath("local.mha").toStdString();
      writeVolume(v, mha);
      const std::uint64_t size = fs::file_size(mha);
      cutEnd(mha, cut);
      QVERIFY(failsCleanly(readsAll(mha), {"local.mha", "truncated", "expected " + QString::number(size),
                                           "found " + QString::number(size - cut), "240 bytes"}));
    }
    // A .mhd whose .raw is one byte short, and one whose voxels sit at the end (HeaderSize = -1).
    writeBytes(dir.filePath("m.raw").toStdString(), v.data(), v.bytes() - 1);
    const std::string mhd = dir.filePath("m.mhd").toStdString();
    writeText(mhd, "ObjectType = Image\nNDims = 3\nDimSize = 6 5 4\nElementType = MET_USHORT\nElementDataFile = m.raw\n");
    QVERIFY(failsCleanly(readsAll(mhd), {"m.raw", "m.mhd", "expected 240", "found 239"}));
    setHeaderLine(mhd, "HeaderSize", "HeaderSize = -1");
    QVERIFY(failsCleanly(readsAll(mhd), {"m.raw", "m.mhd", "240 bytes", "239"}));
    // Compressed data that inflates short, its CompressedDataSize made to match the cut.
    WriteOptions z;
    z.compress = true;
    const std::string zmha = dir.filePath("z.mha").toStdString();
    writeVolume(v, zmha, z);
    std::string text = readAll(zmha);
    const std::size_t dataAt = text.find("ElementDataFile = LOCAL\n") + 24;
    const std::size_t half = (text.size() - dataAt) / 2;
    text.resize(dataAt + half);
    writeText(zmha, text);
    setHeaderLine(zmha, "CompressedDataSize", "CompressedDataSize = " + std::to_string(half));
    QVERIFY(failsCleanly(readsAll(zmha), {"z.mha", "truncated", "240"}));
    // Compressed data complete but for its checksum.
    writeVolume(v, zmha, z);
    cutEnd(zmha, 2);
    setHeaderLine(zmha, "CompressedDataSize", "");
    QVERIFY(failsCleanly(readsAll(zmha), {"z.mha", "truncated"}));
    // And the intact files still read exactly.
    writeVolume(v, zmha, z);
    QVERIFY(sameVoxels(readVolume(zmha), v));
    writeBytes(dir.filePath("m.raw").toStdString(), v.data(), v.bytes());
    QVERIFY(sameVoxels(readVolume(mhd), v));
  }

  void metaImageHeadersAreCheckedBeforeItk() {
    // NDims = -1 made ITK's MetaIO parser spin forever (and the studio with it); so does any
    // array shorter than NDims says and any value operator>> cannot read.
    QTemporaryDir dir;
    const Volume v = makeVolume({6, 5, 4}, VoxelType::UInt8, 2);
    const std::string good = dir.filePath("good.mha").toStdString();
    writeVolume(v, good);
    const std::vector<std::pair<std::string, std::pair<std::string, QString>>> cases = {
        {"NDims", {"NDims = -1", "NDims"}},
        {"NDims", {"NDims = -3", "NDims"}},
        {"NDims", {"NDims = 0", "NDims"}},
        {"NDims", {"NDims = 11", "NDims"}},
        {"NDims", {"NDims = 4294967299", "NDims"}},
        {"NDims", {"NDims = nan", "NDims"}},
        {"DimSize", {"DimSize = 6 5", "DimSize"}},
        {"DimSize", {"DimSize = 6 -5 4", "DimSize"}},
        {"DimSize", {"DimSize = 6 0 4", "DimSize"}},
        {"DimSize", {"DimSize = 6 5 1e999", "DimSize"}},
        {"DimSize", {"DimSize = 2147483648 5 4", "DimSize"}},
        {"DimSize", {"", "DimSize"}},
        {"ElementType", {"ElementType = MET_LONG_LONG", "ElementType"}},
        {"ElementType", {"", "ElementType"}},
        {"ElementSpacing", {"ElementSpacing = 1 1", "ElementSpacing"}},
        {"ElementSpacing", {"ElementSpacing = nan 1 1", "ElementSpacing"}},
        {"ElementSpacing", {"ElementSpacing = 0 1 1", "ElementSpacing"}},
        {"Offset", {"Offset = 1 2 inf", "Offset"}},
        {"TransformMatrix", {"TransformMatrix = 1 0 0", "TransformMatrix"}},
        {"HeaderSize", {"HeaderSize = -5", "HeaderSize"}},
        {"HeaderSize", {"HeaderSize = 12", "HeaderSize"}},
        {"HeaderSize", {"HeaderSize = x", "HeaderSize"}},
        {"ElementNumberOfChannels", {"ElementNumberOfChannels = 3", "ElementNumberOfChannels"}},
        {"Comment", {"Comment = " + std::string(600, 'c'), "characters"}},
        {"ObjectType", {"ObjectType = Mesh", "ObjectType"}},
    };
    for (const auto& [key, c] : cases) {
      const std::string path = dir.filePath("bad.mha").toStdString();
      fs::copy_file(good, path, fs::copy_options::overwrite_existing);
      setHeaderLine(path, key, c.first);
      QVERIFY2(failsCleanly(readsAll(path), {"bad.mha", c.second}, 20), c.first.substr(0, 60).c_str());
    }
    // Where the voxels are: a missing data file, a missing ElementDataFile, a printf pattern.
    const std::string mhd = dir.filePath("d.mhd").toStdString();
    const std::string head = "ObjectType = Image\nNDims = 3\nDimSize = 6 5 4\nElementType = MET_UCHAR\n";
    writeText(mhd, head + "ElementDataFile = missing.raw\n");
    QVERIFY(failsCleanly(readsAll(mhd), {"missing.raw", "d.mhd"}));
    writeText(mhd, head);
    QVERIFY(failsCleanly(readsAll(mhd), {"d.mhd", "ElementDataFile"}));
    writeText(mhd, head + "ElementDataFile = s%s%n.raw 1 4 1\n");
    QVERIFY(failsCleanly(readsAll(mhd), {"d.mhd", "ElementDataFile"}));
    // One file per slice, numbered: read when every file is there and long enough.
    for (int z = 0; z < 4; ++z)
      writeBytes(dir.filePath(QString("s%1.raw").arg(z + 1, 2, 10, QChar('0'))).toStdString(), v.slicePtr(z),
                 v.info().sliceBytes());
    writeText(mhd, head + "ElementDataFile = s%02d.raw 1 4 1\n");
    QVERIFY(sameVoxels(readVolume(mhd), v));
    cutEnd(dir.filePath("s03.raw").toStdString(), 1);
    QVERIFY(failsCleanly(readsAll(mhd), {"s03.raw", "d.mhd", "too short"}));
  }

  void niftiHeadersAreCheckedBeforeItk() {
    QTemporaryDir dir;
    const Volume v = makeVolume({6, 5, 4}, VoxelType::UInt16, 4);
    const std::string good = dir.filePath("good.nii").toStdString();
    writeVolume(v, good);
    struct Edit {
      const char* what;
      std::function<void(const std::string&)> apply;
    };
    const std::vector<Edit> edits = {
        {"dim[0] = 0", [](const std::string& p) { putI16(p, 40, 0); }},
        {"dim[0] = 9", [](const std::string& p) { putI16(p, 40, 9); }},
        {"dim[2] = -4", [](const std::string& p) { putI16(p, 44, -4); }},
        {"datatype 1234", [](const std::string& p) { putI16(p, 70, 1234); }},
        {"bitpix 7", [](const std::string& p) { putI16(p, 72, 7); }},
        {"vox_offset nan", [](const std::string& p) { putF32(p, 108, std::nanf("")); }},
        {"vox_offset 100", [](const std::string& p) { putF32(p, 108, 100.f); }},
        // ITK built an orientation matrix from these and vnl aborted the whole process.
        {"srow_x nan", [](const std::string& p) { putI16(p, 254, 1); putF32(p, 284, std::nanf("")); }},
        {"quatern_b inf", [](const std::string& p) { putI16(p, 252, 1); putF32(p, 256, INFINITY); }},
        {"pixdim nan", [](const std::string& p) { putF32(p, 80, std::nanf("")); }},
        {"one byte short", [](const std::string& p) { cutEnd(p, 1); }},
        // Intensity scaling goes through ITK's reader: its data must be whole too.
        {"scaled, short", [](const std::string& p) { putF32(p, 112, 2.f); cutEnd(p, 7); }},
    };
    for (const auto& e : edits) {
      const std::string path = dir.filePath("bad.nii").toStdString();
      fs::copy_file(good, path, fs::copy_options::overwrite_existing);
      e.apply(path);
      QVERIFY2(failsCleanly(readsAll(path), {"bad.nii"}, 20), e.what);
    }
  }

  void shortDataInEveryReaderIsAnError() {
    QTemporaryDir dir;
    const Volume v = makeVolume({9, 7, 5}, VoxelType::UInt16, 5);
    auto written = [&](const char* name, const WriteOptions& o = {}) {
      const std::string p = dir.filePath(name).toStdString();
      writeVolume(v, p, o);
      return p;
    };
    WriteOptions z;
    z.compress = true;
    // Cut by more than a trailer: voxels are missing.
    for (const auto& [path, cut] : std::vector<std::pair<std::string, std::uint64_t>>{
             {written("a.nrrd"), 1}, {written("b.nrrd", z), 40}, {written("c.nii.gz"), 40}, {written("d.h5"), 64},
             {written("e.tif"), 300}, {written("f.tif", z), 300}}) {
      cutEnd(path, cut);
      QVERIFY2(failsCleanly(readsAll(path), {QString::fromStdString(fs::path(path).filename().string())}), path.c_str());
    }
    // Cut inside the trailer or the tags after the voxels: the file is damaged all the same
    // (the gzip checksum, a TIFF's description and resolution were lost without a word).
    for (const auto& [path, cut] : std::vector<std::pair<std::string, std::uint64_t>>{
             {written("g.nrrd", z), 4}, {written("h.nii.gz"), 4}, {written("i.tif"), 4}}) {
      cutEnd(path, cut);
      QVERIFY2(failsCleanly(readsAll(path), {QString::fromStdString(fs::path(path).filename().string()), "truncated"}),
               path.c_str());
    }
    // Raw with a header offset, ESRF .vol: one byte short.
    const std::string raw = dir.filePath("r.raw").toStdString();
    std::vector<char> bytes(100, 'h');
    const auto data = rawBytes(v, false);
    bytes.insert(bytes.end(), data.begin(), data.end() - 1);
    writeBytes(raw, bytes.data(), bytes.size());
    OpenOptions ro;
    ro.raw = RawParams{v.size(), VoxelType::UInt16, false, 100, {1, 1, 1}};
    QVERIFY(failsCleanly(readsAll(raw, ro), {"r.raw", "expected " + QString::number(100 + v.bytes()), "found"}));
    const Volume f = makeVolume({9, 7, 5}, VoxelType::Float32, 6);
    writeBytes(dir.filePath("s.vol").toStdString(), f.data(), f.bytes() - 1);
    writeText(dir.filePath("s.vol.info").toStdString(), "NUM_X = 9\nNUM_Y = 7\nNUM_Z = 5\n");
    QVERIFY(failsCleanly(readsAll(dir.filePath("s.vol").toStdString()), {"s.vol", "truncated"}));
  }

  void sizeFieldsThatOverflowAreErrors() {
    QTemporaryDir dir;
    // ESRF .info without NUM_Z whose slice size overflows: 2^62 x 4 x 4 bytes wrapped to 0 and the
    // division by it killed the process (SIGFPE).
    writeBytes(dir.filePath("o.vol").toStdString(), "0123456789abcdef", 16);
    writeText(dir.filePath("o.vol.info").toStdString(), "NUM_X = 4611686018427387904\nNUM_Y = 4\n");
    QVERIFY(failsCleanly(readsAll(dir.filePath("o.vol").toStdString()), {"o.vol"}));
    // NRRD: negative and overflowing sizes, a byte skip past the end of 64 bits, lines skipped
    // beyond the end of the file.
    const Volume v = makeVolume({4, 3, 2}, VoxelType::UInt8, 1);
    writeBytes(dir.filePath("d.raw").toStdString(), v.data(), v.bytes());
    const std::string nhdr = dir.filePath("d.nhdr").toStdString();
    const std::string head = "NRRD0004\ntype: uchar\ndimension: 3\nencoding: raw\ndata file: d.raw\n";
    for (const std::string& extra : {std::string("sizes: 4 -3 2\n"), std::string("sizes: 4294967296 4294967296 4\n"),
                                     std::string("sizes: 4 3 2\nbyte skip: 9223372036854775807\n"),
                                     std::string("sizes: 4 3 2\nline skip: 1000\n")}) {
      writeText(nhdr, head + extra);
      QVERIFY2(failsCleanly(readsAll(nhdr), {"d.nhdr"}), extra.c_str());
    }
    // The size limit that keeps index arithmetic inside 64 bits.
    QVERIFY_THROWS_EXCEPTION(std::overflow_error,
                             (void)(VolumeInfo{{1ll << 31, 1ll << 31, 2}, VoxelType::UInt8, {1, 1, 1}, {0, 0, 0}}.bytes()));
  }

  void cropOverflowIsRefused() {
    QTemporaryDir dir;
    const Volume v = makeVolume({32, 32, 32}, VoxelType::UInt16, 7);
    const std::string path = dir.filePath("v.nrrd").toStdString();
    writeVolume(v, path);
    auto r = openVolume(path);
    const std::int64_t big = std::numeric_limits<std::int64_t>::max(), small = std::numeric_limits<std::int64_t>::min();
    for (const Region& crop : {Region{{big, 0, 0}, {10, 10, 2}}, Region{{0, big - 5, 0}, {10, 10, 2}},
                               Region{{0, 0, 3}, {10, 10, big}}, Region{{small, 0, 0}, {0, 0, 0}},
                               Region{{-1, 0, 0}, {10, 10, 2}}}) {
      ReadOptions ro;
      ro.crop = crop;
      QVERIFY(throwsWith([&] { (void)r->read(ro); }, {"not inside", "v.nrrd"}));
      QVERIFY(throwsWith([&] { (void)r->outputInfo(ro); }, {"not inside"}));
    }
    // The same crop in a project file (the studio reads the image with the project's crop).
    core::labels::ProjectFile p;
    p.imagePath = path;
    p.imageRead.crop = Region{{big, 0, 0}, {10, 10, 2}};
    const std::string project = dir.filePath("p.cdnet").toStdString();
    p.save(project);
    QVERIFY(throwsWith(
        [&] {
          const auto q = core::labels::ProjectFile::load(project);
          (void)readVolume(q.imagePath, q.imageOpen, q.imageRead);
        },
        {"crop"}));
  }

  void downsamplingFarAboveTheSize() {
    // The factor's rows were allocated whatever the region's height: std::bad_alloc. A factor above
    // the longest side is refused naming the file and the range; the longest side itself averages
    // everything into one voxel.
    QTemporaryDir dir;
    const Volume v = makeVolume({6, 5, 4}, VoxelType::UInt16, 8);
    const std::string path = dir.filePath("v.nrrd").toStdString();
    writeVolume(v, path);
    for (DownsampleMode m : {DownsampleMode::Mean, DownsampleMode::Nearest}) {
      ReadOptions ro;
      ro.downsample = INT_MAX;
      ro.mode = m;
      try {
        (void)readVolume(path, {}, ro);
        QFAIL("a downsampling factor of INT_MAX was read");
      } catch (const std::exception& e) {
        const QString what = QString::fromUtf8(e.what());
        QVERIFY2(what.contains("v.nrrd") && what.contains("from 1 to 6"), e.what());
      }
      ro.downsample = 6;
      const Volume got = readVolume(path, {}, ro);
      QCOMPARE(got.size(), (Size3{1, 1, 1}));
      QVERIFY(sameValues(got, reference(v, Region::whole(v.size()), 6, m)));
    }
  }
};

QTEST_APPLESS_MAIN(TestVolumeIoHostile)
#include "test_volume_io_hostile.moc"
