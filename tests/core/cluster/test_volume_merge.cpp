// Joining volume pieces: pieces written as chunked HDF5 (the working format) join into one volume
// equal voxel for voxel to the whole; pieces that do not tile the range or do not agree are refused
// before anything is written, naming the piece.
#include "core/cluster/VolumeMerge.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <filesystem>

using namespace core::cluster;
using namespace core::volume;

namespace {
/// A volume whose every voxel is different: value = x + 7y + 31z (mod 65536).
Volume pattern(Size3 size, std::int64_t z0 = 0) {
  Volume v(size, VoxelType::UInt16, {0.5, 0.5, 0.25});
  auto* p = v.as<std::uint16_t>();
  for (std::int64_t z = 0; z < size.z; ++z)
    for (std::int64_t y = 0; y < size.y; ++y)
      for (std::int64_t x = 0; x < size.x; ++x) p[v.index(x, y, z)] = std::uint16_t(x + 7 * y + 31 * (z + z0));
  return v;
}
} // namespace

class TestVolumeMerge : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;

  std::string write(const char* name, const Volume& v) {
    const std::string path = m_tmp.filePath(name).toStdString();
    writeVolume(v, path);
    return path;
  }

private Q_SLOTS:
  void piecesJoinIntoTheWhole() {
    const Size3 size{33, 20, 23};
    const Volume whole = pattern(size);
    std::vector<VolumePiece> pieces;
    const std::int64_t borders[] = {0, 5, 6, 17, 23};
    for (int i = 0; i < 4; ++i) {
      const std::int64_t z0 = borders[i], z1 = borders[i + 1];
      const std::string name = "piece-" + std::to_string(i) + ".h5";
      pieces.push_back({write(name.c_str(), whole.crop(Region::slab(size, z0, z1))), z0, z1});
    }
    std::swap(pieces[0], pieces[2]); // any order: merge sorts by z
    for (const char* out : {"merged.h5", "merged.nrrd"}) {
      const std::string path = m_tmp.filePath(out).toStdString();
      // A read budget of 3 slices: pieces are read in several slabs.
      const VolumeInfo info = mergeVolumePieces(pieces, 0, 23, path, {}, 3 * std::uint64_t(size.x * size.y * 2));
      QVERIFY(info.size == size);
      const Volume back = readVolume(path);
      QVERIFY(back.size() == size);
      QVERIFY(back.type() == VoxelType::UInt16);
      QCOMPARE(back.spacing().z, 0.25);
      QVERIFY(std::memcmp(back.data(), whole.data(), whole.bytes()) == 0);
    }
    checkVolumePiece(pieces[0].path, 11); // piece 2 (slices 6:17), swapped to the front
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, checkVolumePiece(pieces[0].path, 12));
  }

  void subRangeStartsAnywhere() {
    const Size3 size{8, 8, 6};
    const Volume a = pattern({8, 8, 3}, 10), b = pattern({8, 8, 3}, 13);
    const std::string out = m_tmp.filePath("sub.h5").toStdString();
    mergeVolumePieces({{write("sa.h5", a), 10, 13}, {write("sb.h5", b), 13, 16}}, 10, 16, out);
    const Volume back = readVolume(out);
    QVERIFY(back.size() == size);
    QCOMPARE(back.valueAt(3, 2, 4), double(3 + 14 + 31 * 14));
  }

  void badPiecesAreRefusedBeforeWriting() {
    const std::string out = m_tmp.filePath("never.h5").toStdString();
    const std::string p0 = write("b0.h5", pattern({10, 10, 4}));
    const std::string p1 = write("b1.h5", pattern({10, 10, 4}, 4));
    auto refuses = [&](const std::vector<VolumePiece>& pieces, std::int64_t end, const char* expect) {
      try {
        mergeVolumePieces(pieces, 0, end, out);
      } catch (const std::runtime_error& e) {
        return QString(e.what()).contains(expect);
      }
      return false;
    };
    QVERIFY(refuses({{p0, 0, 4}, {p1, 5, 9}}, 9, "[4, 5) are missing"));
    QVERIFY(refuses({{p0, 0, 4}, {p1, 3, 7}}, 7, "overlaps"));
    QVERIFY(refuses({{p0, 0, 4}}, 8, "missing at the end"));
    QVERIFY(refuses({{p0, 0, 4}, {p1, 4, 9}}, 9, "b1.h5: holds 4 slices, but its task owns 5"));
    QVERIFY(refuses({{p0, 0, 4}, {write("wide.h5", pattern({11, 10, 4})), 4, 8}}, 8, "wide.h5: slices of 11 x 10"));
    QVERIFY(refuses({{p0, 0, 4}, {write("type.h5", pattern({10, 10, 4}).convertTo(VoxelType::Float32)), 4, 8}}, 8,
                    "type.h5: voxel type float32"));
    QVERIFY(refuses({{p0, 0, 4}, {m_tmp.filePath("gone.h5").toStdString(), 4, 8}}, 8, "gone.h5"));
    QVERIFY(!std::filesystem::exists(out));
  }
};

QTEST_GUILESS_MAIN(TestVolumeMerge)
#include "test_volume_merge.moc"
