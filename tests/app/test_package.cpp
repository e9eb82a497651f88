// Builds the .deb with cpack, unpacks it into a scratch root (dpkg -x) and runs both executables
// from there: the package must hold everything the programs need besides Debian's runtime packages.
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

namespace {
struct Run {
  int exitCode = -1;
  QString out;
};
Run run(const QString& program, const QStringList& args, int timeoutMs = 300000,
        const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
  QProcess p;
  p.setProcessEnvironment(env);
  p.setProcessChannelMode(QProcess::MergedChannels);
  p.start(program, args);
  Run r;
  if (!p.waitForStarted(30000)) {
    r.out = "could not start " + program;
    return r;
  }
  p.waitForFinished(timeoutMs);
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = QString::fromLocal8Bit(p.readAll());
  return r;
}
} // namespace

class TestPackage : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  QString m_root;

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    const QString pkgDir = m_dir.filePath("pkg");
    Run cpack = run("cpack", {"-G", "DEB", "--config", CDNET_BINARY_DIR "/CPackConfig.cmake", "-B", pkgDir});
    QVERIFY2(cpack.exitCode == 0, qPrintable(cpack.out));
    const QStringList debs = QDir(pkgDir).entryList({"*.deb"}, QDir::Files);
    QCOMPARE(debs.size(), 1);
    const QString deb = QDir(pkgDir).filePath(debs.first());

    // The package declares the Debian runtime packages it needs.
    Run info = run("dpkg-deb", {"-f", deb, "Depends"});
    QCOMPARE(info.exitCode, 0);
    QVERIFY2(info.out.contains("libqt6widgets6") && info.out.contains("libtorch"), qPrintable(info.out));

    m_root = m_dir.filePath("root");
    Run x = run("dpkg", {"-x", deb, m_root});
    QVERIFY2(x.exitCode == 0, qPrintable(x.out));
  }

  void shipsDesktopIntegration() {
    for (const char* f : {"usr/bin/cdnet", "usr/bin/cdnet-studio", "usr/share/applications/cdnet-studio.desktop",
                          "usr/share/metainfo/org.cdnet.Studio.metainfo.xml",
                          "usr/share/icons/hicolor/48x48/apps/cdnet-studio.png",
                          "usr/share/icons/hicolor/256x256/apps/cdnet-studio.png",
                          "usr/share/icons/hicolor/scalable/apps/cdnet-studio.svg"})
      QVERIFY2(QFileInfo::exists(m_root + "/" + f), f);
    QImage icon(m_root + "/usr/share/icons/hicolor/48x48/apps/cdnet-studio.png");
    QCOMPARE(icon.size(), QSize(48, 48));
  }

  void commandLineRunsFromPackage() {
    Run help = run(m_root + "/usr/bin/cdnet", {"--help"});
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(help.out.contains("cdnet"), qPrintable(help.out));
  }

  /// The package carries its license where Debian looks for it, the libraries' notices, and the
  /// command line names the license.
  void shipsLicense() {
    QFile copyright(m_root + "/usr/share/doc/cdnet-studio/copyright");
    QVERIFY2(copyright.open(QIODevice::ReadOnly), "no usr/share/doc/cdnet-studio/copyright in the package");
    const QString text = QString::fromUtf8(copyright.readAll());
    QVERIFY2(text.contains("License: MIT") && text.contains("Permission is hereby granted"), qPrintable(text));
    QFile notices(m_root + "/usr/share/doc/cdnet-studio/THIRD-PARTY-NOTICES");
    QVERIFY(notices.open(QIODevice::ReadOnly));
    const QString n = QString::fromUtf8(notices.readAll());
    for (const char* lib : {"Qt 6", "VTK", "ITK", "OpenCV", "LibTorch", "HDF5", "LGPL-3.0", "Apache-2.0"})
      QVERIFY2(n.contains(lib), lib);
    QFile meta(m_root + "/usr/share/metainfo/org.cdnet.Studio.metainfo.xml");
    QVERIFY(meta.open(QIODevice::ReadOnly));
    QVERIFY(meta.readAll().contains("<project_license>MIT</project_license>"));
    Run version = run(m_root + "/usr/bin/cdnet", {"--version"});
    QCOMPARE(version.exitCode, 0);
    QVERIFY2(version.out.contains("License: MIT"), qPrintable(version.out));
  }

  /// The Python module installed for Debian's python3 imports from the package and reads a volume.
  void pythonModuleFromPackage() {
    const QString dist = m_root + "/usr/lib/python3/dist-packages";
    QVERIFY2(!QDir(dist).entryList({"cdnet*.so"}, QDir::Files).isEmpty(), "no cdnet module in the package");
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PYTHONPATH", dist);
    Run py = run("/usr/bin/python3",
                 {"-c", "import cdnet, numpy, os, tempfile; p = os.path.join(tempfile.mkdtemp(), 'v.nrrd'); "
                        "cdnet.write(p, numpy.arange(24, dtype=numpy.uint8).reshape(2, 3, 4)); "
                        "print(cdnet.__file__, int(cdnet.read(p).sum()))"},
                 60000, env);
    QVERIFY2(py.exitCode == 0 && py.out.contains(dist) && py.out.contains(" 276"), qPrintable(py.out));
  }

  /// The studio from the package renders the demo in German (translations embedded) and saves a
  /// screenshot of the whole window.
  void studioScreenshotFromPackage() {
    // A fresh home: no saved window geometry from earlier runs.
    QTemporaryDir home;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("HOME", home.path());
    env.insert("XDG_CONFIG_HOME", home.filePath("config"));
    const QString png = m_dir.filePath("screenshot.png");
    Run shot = run(m_root + "/usr/bin/cdnet-studio", {"--lang", "de", "--screenshot", png, "--demo"}, 300000, env);
    QVERIFY2(shot.exitCode == 0, qPrintable(shot.out));
    QVERIFY2(QFileInfo::exists(png), qPrintable(shot.out));
    QImage image(png);
    // The whole window: the size it reports ("saved FILE (window W x H pixels)").
    const QRegularExpressionMatch m =
        QRegularExpression(QStringLiteral("window (\\d+) x (\\d+) pixels")).match(shot.out);
    QVERIFY2(m.hasMatch(), qPrintable(shot.out));
    QCOMPARE(image.size(), QSize(m.captured(1).toInt(), m.captured(2).toInt()));
    QVERIFY(image.width() >= 1000 && image.height() >= 600);
    // Real pixels: many distinct colours (views, panels, the 3D surface), not a blank window.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 4)
      for (int x = 0; x < image.width(); x += 4) colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 200, qPrintable(QString::number(colours.size())));

    // The German help comes from the packaged program's embedded translations.
    Run help = run(m_root + "/usr/bin/cdnet-studio", {"--lang", "de", "--help"}, 60000, env);
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(help.out.contains(QString::fromUtf8("Sprache des Fensters")), qPrintable(help.out));
  }
};

QTEST_GUILESS_MAIN(TestPackage)
#include "test_package.moc"
