// cdnet-studio's command line end to end: --screenshot of the demo writes a PNG of the whole
// window with real content; a bad PATH and every kind of corrupted project exit 1 naming the file
// and the problem and write nothing; the batch modes refuse arguments they would ignore.
#include "core/volume/Volume.h"
#include "core/volume/io/VolumeIO.h"

#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

class TestStudioCli : public QObject {
  Q_OBJECT
  const QString m_studio = QStringLiteral(CDNET_BINARY_DIR "/app/cdnet-studio");

private Q_SLOTS:
  void screenshotOfTheDemo() {
    QTemporaryDir dir;
    const QString png = dir.filePath("demo.png");
    QProcess p;
    p.start(m_studio, {"--screenshot", png, "--demo"});
    QVERIFY(p.waitForFinished(55000));
    QCOMPARE(p.exitCode(), 0);
    const QImage img(png);
    QVERIFY(!img.isNull());
    QVERIFY(img.width() >= 800 && img.height() >= 500);
    // A real picture: many distinct colours, including the prediction's gold.
    QSet<QRgb> colours;
    int gold = 0;
    for (int y = 0; y < img.height(); y += 2)
      for (int x = 0; x < img.width(); x += 2) {
        const QColor c = img.pixelColor(x, y);
        colours.insert(c.rgb());
        if (c.red() > 200 && c.green() > 120 && c.blue() < 80) ++gold;
      }
    QVERIFY2(colours.size() > 500, qPrintable(QString::number(colours.size())));
    QVERIFY2(gold > 200, qPrintable(QString::number(gold)));
  }

  void badPathFails() {
    QTemporaryDir dir;
    const QString png = dir.filePath("none.png");
    const QString missing = dir.filePath("missing.tif");
    QProcess p;
    p.start(m_studio, {"--screenshot", png, missing});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(QString::fromLocal8Bit(p.readAllStandardError()).contains("missing.tif"));
    QVERIFY(!QFile::exists(png));
  }

  void corruptedProjectsFailTheScreenshot_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("needle");
    // JSON written with ' for " (moc misreads raw strings).
    const auto q = [](const char* text) { return QByteArray(text).replace('\'', '"'); };
    const QByteArray head = "{" + q("'format': 'cdnet-project', 'formatVersion': 1, 'image': {'path': 'image.nrrd'}");
    const auto with = [&](const char* more) { return head + ", " + q(more) + "}"; };
    QByteArray binary(256, '\0');
    for (int i = 0; i < binary.size(); ++i) binary[i] = char((i * 53 + 7) & 255);
    QTest::newRow("empty") << QByteArray() << "is empty";
    QTest::newRow("binary") << binary << "not valid JSON";
    QTest::newRow("half cut") << head.left(head.size() - 12) << "not valid JSON";
    QTest::newRow("version 999") << q("{'format': 'cdnet-project', 'formatVersion': 999, 'image': {'path': 'image.nrrd'}}")
                                 << "newer CDNet Studio";
    QTest::newRow("version 0") << q("{'format': 'cdnet-project', 'formatVersion': 0, 'image': {'path': 'image.nrrd'}}")
                               << "invalid format version 0";
    QTest::newRow("version text") << q("{'format': 'cdnet-project', 'formatVersion': '1', 'image': {'path': 'image.nrrd'}}")
                                  << "invalid format version \"1\"";
    QTest::newRow("class 300") << with("'labelClasses': [{'value': 300, 'name': 'x', 'color': '#ff0000'}]")
                               << "labelClasses[0].value";
    QTest::newRow("bad colour") << with("'labelClasses': [{'value': 2, 'name': 'x', 'color': '#ggg000'}]")
                                << "is not a colour";
    QTest::newRow("slices backwards") << with("'annotatedSlices': [[5, 2]]") << "ends before it starts";
    // Valid JSON, but it does not fit the image: found only after the image loaded.
    QTest::newRow("slices beyond") << with("'annotatedSlices': [[3, 40]]") << "marks slice 8 as annotated";
    QTest::newRow("labels of another size") << with("'labels': {'path': 'small.labels.nrrd'}") << "small.labels.nrrd";
    QTest::newRow("missing image") << q("{'format': 'cdnet-project', 'formatVersion': 1, 'image': {'path': 'gone.nrrd'}}")
                                   << "gone.nrrd";
  }

  void corruptedProjectsFailTheScreenshot() {
    QFETCH(QByteArray, content);
    QFETCH(QString, needle);
    QTemporaryDir dir;
    core::volume::writeVolume(core::volume::Volume({16, 16, 8}, core::volume::VoxelType::UInt8),
                              dir.filePath("image.nrrd").toStdString());
    core::volume::writeVolume(core::volume::Volume({16, 16, 4}, core::volume::VoxelType::UInt8),
                              dir.filePath("small.labels.nrrd").toStdString());
    const QString project = dir.filePath("study.cdnet");
    QFile f(project);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
    f.close();
    const QString png = dir.filePath("shot.png");
    QProcess p;
    p.start(m_studio, {"--screenshot", png, project});
    QVERIFY(p.waitForFinished(60000));
    const QString err = QString::fromLocal8Bit(p.readAllStandardError());
    QVERIFY2(p.exitCode() == 1, qPrintable(QString("exit %1: %2").arg(p.exitCode()).arg(err)));
    QVERIFY2(err.contains(needle) && (err.contains("study.cdnet") || needle.endsWith(".nrrd")), qPrintable(err));
    QVERIFY(!QFile::exists(png));
  }

  void goodProjectGivesAScreenshot() {
    // The counterpart: the same folder with a valid project (and a float prediction, as cdnet
    // predict writes it) exits 0 with a picture.
    QTemporaryDir dir;
    core::volume::Volume image({16, 16, 8}, core::volume::VoxelType::UInt8);
    core::volume::Volume prediction({16, 16, 8}, core::volume::VoxelType::Float32);
    prediction.setValueAt(3, 3, 3, 0.75);
    core::volume::writeVolume(image, dir.filePath("image.nrrd").toStdString());
    core::volume::writeVolume(prediction, dir.filePath("cracks.nrrd").toStdString());
    QFile f(dir.filePath("study.cdnet"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray("{'format': 'cdnet-project', 'formatVersion': 1, 'image': {'path': 'image.nrrd'}, "
                       "'prediction': {'path': 'cracks.nrrd'}, 'annotatedSlices': [[2, 7]]}")
                .replace('\'', '"'));
    f.close();
    const QString png = dir.filePath("shot.png");
    QProcess p;
    p.start(m_studio, {"--screenshot", png, dir.filePath("study.cdnet")});
    QVERIFY(p.waitForFinished(60000));
    QVERIFY2(p.exitCode() == 0, qPrintable(QString::fromLocal8Bit(p.readAllStandardError())));
    QVERIFY(!QImage(png).isNull());
  }

  void batchModesRefuseWhatTheyWouldIgnore_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("needle");
    QTest::newRow("bench with a path") << QStringList{"--bench-views", "x.cdnet"} << "x.cdnet";
    QTest::newRow("two paths") << QStringList{"--screenshot", "a.png", "a.nrrd", "b.nrrd"} << "give one PATH";
    QTest::newRow("demo and a path") << QStringList{"--screenshot", "a.png", "--demo", "a.nrrd"} << "--demo";
    QTest::newRow("bench size 0") << QStringList{"--bench-views", "--bench-sizes", "0"} << "--bench-sizes";
    QTest::newRow("bench size text") << QStringList{"--bench-views", "--bench-sizes", "512,big"} << "'big'";
    QTest::newRow("edit size 0") << QStringList{"--bench-edit", "--bench-edit-size", "0"} << "--bench-edit-size";
  }

  void batchModesRefuseWhatTheyWouldIgnore() {
    QFETCH(QStringList, args);
    QFETCH(QString, needle);
    QTemporaryDir dir; // where a wrongly taken screenshot would land
    QProcess p;
    p.setWorkingDirectory(dir.path());
    p.start(m_studio, args);
    QVERIFY(p.waitForFinished(30000));
    const QString err = QString::fromLocal8Bit(p.readAllStandardError());
    QVERIFY2(p.exitCode() == 2 && err.contains(needle), qPrintable(QString("exit %1: %2").arg(p.exitCode()).arg(err)));
    QVERIFY(QDir(dir.path()).isEmpty());
  }

  // Without any display (no DISPLAY, no QT_QPA_PLATFORM): --help and --version still answer,
  // and the help lists the user's options, not the developers' benchmark and batch modes.
  void helpAndVersionNeedNoDisplay() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XAUTHORITY"}) env.remove(name);
    QProcess help;
    help.setProcessEnvironment(env);
    help.start(m_studio, {"--lang", "en", "--help"});
    QVERIFY(help.waitForFinished(30000));
    const QString text = QString::fromLocal8Bit(help.readAllStandardOutput());
    QVERIFY2(help.exitStatus() == QProcess::NormalExit && help.exitCode() == 0,
             qPrintable(QString("exit %1: %2").arg(help.exitCode()).arg(QString::fromLocal8Bit(help.readAllStandardError()))));
    for (const char* shown : {"--demo", "--screenshot <", "--lang", "--version", "PATH"})
      QVERIFY2(text.contains(QLatin1String(shown)), shown);
    for (const char* hidden : {"--bench", "--json", "--screenshot-training", "--screenshot-statistics"})
      QVERIFY2(!text.contains(QLatin1String(hidden)), hidden);

    QProcess version;
    version.setProcessEnvironment(env);
    version.start(m_studio, {"--version"});
    QVERIFY(version.waitForFinished(30000));
    QCOMPARE(version.exitStatus(), QProcess::NormalExit);
    QCOMPARE(version.exitCode(), 0);
    QCOMPARE(QString::fromLocal8Bit(version.readAllStandardOutput()).trimmed(), QStringLiteral("CDNet Studio " CDNET_VERSION));
  }
};

QTEST_GUILESS_MAIN(TestStudioCli)
#include "test_studio_cli.moc"
