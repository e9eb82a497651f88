// Issue 21 in the studio: the training options' Precision control reaches the engine's
// TrainOptions and survives a project save and reopen.
#include "core/ml/Precision.h"
#include "core/volume/io/VolumeIO.h"
#include "ui/MainWindow.h"
#include "ui/controllers/ProjectController.h"
#include "ui/controllers/TrainingController.h"
#include "ui/io/LoadController.h"
#include "ui/panels/TrainingDock.h"
#include "ui/panels/TrainingPanel.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

namespace vol = core::volume;
namespace ml = core::ml;

namespace {

void show(ui::MainWindow& w) {
  w.setErrorDialogsEnabled(false);
  w.show();
  if (!QTest::qWaitForWindowExposed(&w)) qFatal("window not exposed");
}

/// Picks the combo box item with \p data by keyboard (Home, then Down until it is current).
void choose(QComboBox* combo, int data) {
  combo->setFocus();
  QTest::keyClick(combo, Qt::Key_Home);
  for (int i = 0; i < combo->count() && combo->currentData().toInt() != data; ++i) QTest::keyClick(combo, Qt::Key_Down);
}

/// The precision the engine would train with, from what the panel shows.
ml::Precision engineOption(ui::TrainingDock& dock) {
  const auto o = dock.training().trainOptions(dock.trainingPanel()->settings(), {});
  if (!o) qFatal("no training options");
  return o->precision;
}

} // namespace

class TestTrainingPrecision : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir, m_recovery;

private Q_SLOTS:
  void initTestCase() {
    QCoreApplication::setOrganizationName("CDNetTest");
    QCoreApplication::setApplicationName("test_training_precision");
    qputenv("CDNET_RECOVERY_DIR", m_recovery.path().toUtf8());
  }

  void precisionReachesTrainOptionsAndSurvivesSaveAndReopen() {
    vol::Volume image({48, 48, 3}, vol::VoxelType::UInt8);
    for (std::int64_t i = 0; i < image.voxelCount(); ++i) image.as<std::uint8_t>()[i] = std::uint8_t(i * 7);
    const QString imagePath = m_dir.filePath(QStringLiteral("image.nrrd"));
    vol::writeVolume(image, imagePath.toStdString());
    const QString project = m_dir.filePath(QStringLiteral("precision.cdnet"));
    {
      ui::MainWindow w;
      show(w);
      QSignalSpy loaded(&w.loader(), &ui::LoadController::loaded);
      QVERIFY(w.openPath(imagePath, ui::OpenFlow::Ask::Never) && loaded.wait(30000));
      auto* dock = w.findChild<ui::TrainingDock*>();
      auto* combo = dock->trainingPanel()->precisionCombo();
      QCOMPARE(combo, w.findChild<QComboBox*>(QStringLiteral("trainingPrecisionCombo")));
      QCOMPARE(combo->count(), 3);
      // The engine's default (fp32), then each choice as the engine gets it.
      QCOMPARE(combo->currentData().toInt(), int(ml::Precision::Fp32));
      QCOMPARE(engineOption(*dock), ml::Precision::Fp32);
      choose(combo, int(ml::Precision::Auto));
      QCOMPARE(engineOption(*dock), ml::Precision::Auto);
      choose(combo, int(ml::Precision::Bf16));
      QCOMPARE(dock->trainingPanel()->settings().precision, ml::Precision::Bf16);
      QCOMPARE(engineOption(*dock), ml::Precision::Bf16);
      QVERIFY(w.projects().saveAs(project));
    }
    QFile file(project);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("\"precision\": \"bf16\""));
    file.close();
    ui::MainWindow w;
    show(w);
    auto* dock = w.findChild<ui::TrainingDock*>();
    QCOMPARE(dock->trainingPanel()->precisionCombo()->currentData().toInt(), int(ml::Precision::Fp32)); // fresh window
    QSignalSpy opened(&w.projects(), &ui::ProjectController::projectOpened);
    QVERIFY(w.projects().openProject(project));
    QVERIFY(opened.wait(30000));
    QCOMPARE(dock->trainingPanel()->precisionCombo()->currentData().toInt(), int(ml::Precision::Bf16));
    QCOMPARE(engineOption(*dock), ml::Precision::Bf16);
  }
};

QTEST_MAIN(TestTrainingPrecision)
#include "test_training_precision.moc"
