// cdnet-studio's command line end to end: --screenshot of the demo writes a PNG of the whole
// window with real content; a bad PATH exits 1 naming the file and writes nothing.
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
};

QTEST_GUILESS_MAIN(TestStudioCli)
#include "test_studio_cli.moc"
