// Joining CSV pieces: comments once, one header, rows sorted by id, ids made unique, rows copied
// byte for byte; clear errors on pieces that do not belong together.
#include "core/cluster/CsvMerge.h"
#include "core/cluster/WorkDir.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace core::cluster;

class TestCsvMerge : public QObject {
  Q_OBJECT
  QTemporaryDir m_tmp;

  std::string piece(const char* name, const std::string& text) {
    const std::string path = m_tmp.filePath(name).toStdString();
    std::ofstream(path) << text;
    return path;
  }

private Q_SLOTS:
  void globalIdsAreKeptAndSorted() {
    const std::string a = piece("a.csv", "# source: in.h5\n# date: 2024-01-01\nid,volume (um^3),name\n"
                                         "5,1.25,\"x, y\"\n2,0.5,b\n");
    const std::string b = piece("b.csv", "# source: in.h5\n# date: 2024-01-02\n# slab: 10:20\n"
                                         "id,volume (um^3),name\r\n3,2.0000001,c\r\n\r\n");
    const std::string out = m_tmp.filePath("all.csv").toStdString();
    const CsvMergeResult r = mergeCsvPieces({a, b}, out);
    QCOMPARE(r.rows, std::int64_t(3));
    QVERIFY(!r.renumbered);
    QCOMPARE(readFile(out), std::string("# source: in.h5\n# date: 2024-01-01\n# slab: 10:20\n"
                                        "id,volume (um^3),name\n2,0.5,b\n3,2.0000001,c\n5,1.25,\"x, y\"\n"));
  }

  void rankKeysAreRenumberedWithTheirReferences() {
    // Analysis pieces: ids are global sort keys, nn_id refers to rows of other pieces.
    const std::string a = piece("k1.csv", "# merge_ids: rank\n# source: s\nid,x,nn_id\n900,a,40\n17,b,\n");
    const std::string b = piece("k2.csv", "# merge_ids: rank\n# source: s\nid,x,nn_id\n40,c,900\n");
    const std::string out = m_tmp.filePath("k.csv").toStdString();
    const CsvMergeResult r = mergeCsvPieces({a, b}, out);
    QVERIFY(r.renumbered);
    QCOMPARE(readFile(out), std::string("# source: s\nid,x,nn_id\n1,b,\n2,c,3\n3,a,2\n"));
    // A reference to no row is an error naming the piece.
    const std::string c = piece("k3.csv", "# merge_ids: rank\nid,x,nn_id\n5,d,6\n");
    try {
      mergeCsvPieces({c}, m_tmp.filePath("k4.csv").toStdString());
      QFAIL("a dangling reference must be refused");
    } catch (const std::runtime_error& e) {
      QVERIFY2(std::string(e.what()).find("k3.csv") != std::string::npos, e.what());
    }
  }

  void clashingIdsAreRenumberedInZOrder() {
    const std::string a = piece("c.csv", "id (1),v\n2,a2\n1,a1\n");
    const std::string b = piece("d.csv", "id (1),v\n1,b1\n3,b3\n");
    const std::string out = m_tmp.filePath("r.csv").toStdString();
    const CsvMergeResult r = mergeCsvPieces({a, b}, out);
    QVERIFY(r.renumbered);
    QCOMPARE(readFile(out), std::string("id (1),v\n1,a1\n2,a2\n3,b1\n4,b3\n"));
    // Keep refuses duplicates and names both pieces.
    CsvMergeOptions keep;
    keep.ids = CsvMergeOptions::Ids::Keep;
    try {
      mergeCsvPieces({a, b}, out, keep);
      QFAIL("duplicate ids must be refused with Keep");
    } catch (const std::runtime_error& e) {
      QVERIFY2(QString(e.what()).contains("c.csv") && QString(e.what()).contains("d.csv"), e.what());
    }
    // Renumber always renumbers, even without clashes.
    CsvMergeOptions renumber;
    renumber.ids = CsvMergeOptions::Ids::Renumber;
    const std::string e = piece("e.csv", "id,v\n10,x\n");
    const std::string f = piece("f.csv", "id,v\n20,y\n30,z\n");
    mergeCsvPieces({e, f}, out, renumber);
    QCOMPARE(readFile(out), std::string("id,v\n1,x\n2,y\n3,z\n"));
  }

  void idColumnByNameOrFirst() {
    const std::string a = piece("g.csv", "x,label\n0.5,7\n0.1,3\n");
    const std::string out = m_tmp.filePath("g-out.csv").toStdString();
    CsvMergeOptions byLabel;
    byLabel.idColumn = "label";
    mergeCsvPieces({a}, out, byLabel);
    QCOMPARE(readFile(out), std::string("x,label\n0.1,3\n0.5,7\n"));
    CsvMergeOptions first;
    first.idColumn = "";
    QVERIFY_THROWS_EXCEPTION(std::runtime_error, mergeCsvPieces({a}, out, first)); // 0.5 is no integer id
  }

  void emptyPiecesAreFine() {
    const std::string a = piece("h.csv", "# c\nid,v\n");
    const std::string b = piece("i.csv", "id,v\n4,x\n");
    const std::string out = m_tmp.filePath("h-out.csv").toStdString();
    QCOMPARE(mergeCsvPieces({a, b}, out).rows, std::int64_t(1));
    QCOMPARE(readFile(out), std::string("# c\nid,v\n4,x\n"));
  }

  void badPiecesAreRefusedAndTheOutputUntouched() {
    const std::string out = m_tmp.filePath("keep.csv").toStdString();
    std::ofstream(out) << "precious\n";
    const std::string good = piece("j.csv", "id,v\n1,x\n");
    auto fails = [&](const std::vector<std::string>& pieces, const char* expect) {
      try {
        mergeCsvPieces(pieces, out);
      } catch (const std::runtime_error& e) {
        return QString(e.what()).contains(expect);
      }
      return false;
    };
    QVERIFY(fails({good, piece("k.csv", "id,w\n2,y\n")}, "header differs"));
    QVERIFY(fails({good, piece("l.csv", "")}, "empty CSV piece"));
    QVERIFY(fails({good, piece("m.csv", "# only a comment\n")}, "empty CSV piece"));
    QVERIFY(fails({good, m_tmp.filePath("missing.csv").toStdString()}, "missing.csv"));
    QVERIFY(fails({piece("n.csv", "a,b\n1,2\n")}, "no column 'id'"));
    QVERIFY(fails({piece("o.csv", "id,b\nx7,2\n")}, "o.csv:2: the id 'x7' is not an integer"));
    QVERIFY(fails({}, "no CSV pieces"));
    QCOMPARE(readFile(out), std::string("precious\n"));
  }
};

QTEST_GUILESS_MAIN(TestCsvMerge)
#include "test_csv_merge.moc"
