// The accuracy targets of issue 8 on a small phantom, with the truth cracks as the crack input:
// particle count within 5% of the truth, 95% of the particles matched one-to-one (IoU >= 0.5),
// fewer than 5% of cracked particles split in two or more, median absolute error of the
// per-particle crack volume fraction (over one-to-one matches) below 0.02.
#include "core/analysis/Analysis.h"
#include "core/analysis/Evaluation.h"
#include "core/phantom/Phantom.h"

#include <QtTest>
#include <cmath>

using namespace core::analysis;

class TestPhantomAccuracy : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void targetsOnA128Phantom_data() {
    QTest::addColumn<int>("seed");
    QTest::newRow("seed 1") << 1;
    QTest::newRow("seed 2") << 2;
  }
  void targetsOnA128Phantom() {
    QFETCH(int, seed);
    // The targets of issue 8 were set on the simple phantom. On the realistic preset (denser,
    // lobed, touching particles) the same analysis merges 6 of 58 and 6 of 44 particles (one-to-one
    // 79% and 73%): reported to the lead as issue 14 item 6's work, not hidden here.
    core::phantom::PhantomOptions po = core::phantom::presetOptions(core::phantom::PhantomPreset::Simple);
    po.size = {128, 128, 128};
    po.seed = std::uint64_t(seed);
    const core::phantom::Phantom ph = core::phantom::generatePhantom(po);
    const CrackMask cracks = makeCrackMask(ph.cracks);
    AnalysisOptions opt;
    const AnalysisResult r = analyzeVolume(ph.image, cracks.mask, opt);
    std::vector<TruthParticle> truth;
    for (const auto& p : ph.truth) truth.push_back({p.id, p.crackFraction()});
    const AccuracyReport a = compareToTruth(r.segmentation.labels, r.particles, ph.particles, truth, opt.segmentation.minVolume);
    const QString msg = QString("truth %1 found %2, one-to-one %3, splits %4, merges %5, unmatched %6, spurious %7, "
                                "broken %8 of %9 cracked, median |error| %10")
                            .arg(a.truthCount).arg(a.foundCount).arg(a.oneToOne).arg(a.splitTruth).arg(a.merges)
                            .arg(a.unmatchedTruth).arg(a.spuriousFound).arg(a.crackedSplit).arg(a.crackedTruth)
                            .arg(a.medianAbsCrackFractionError);
    qInfo("%s", qPrintable(msg));
    QVERIFY(a.truthCount >= 30 && a.crackedTruth >= 20);
    QVERIFY2(std::fabs(a.countError) <= 0.05, qPrintable(msg));
    // The count alone hides splits and merges that cancel out: most particles must match one-to-one.
    QVERIFY2(a.oneToOneFraction >= 0.95, qPrintable(msg));
    QVERIFY2(a.splitFraction < 0.05, qPrintable(msg));
    QVERIFY2(a.medianAbsCrackFractionError < 0.02, qPrintable(msg));
  }
};

QTEST_GUILESS_MAIN(TestPhantomAccuracy)
#include "test_phantom_accuracy.moc"
