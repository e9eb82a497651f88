<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>main</name>
    <message>
        <source>CDNet Studio: crack detection in X-ray nano-tomography of battery cathodes.</source>
        <translation>CDNet Studio: Risserkennung in der Röntgen-Nanotomographie von Batteriekathoden.</translation>
    </message>
    <message>
        <source>Open the built-in demo phantom; its ground-truth cracks show as the prediction.</source>
        <translation>Das eingebaute Demo-Phantom öffnen; seine wahren Risse erscheinen als Vorhersage.</translation>
    </message>
    <message>
        <source>Open, render every view, save the window as a PNG FILE and exit.</source>
        <translation>Öffnen, alle Ansichten rendern, das Fenster als PNG-Datei DATEI speichern und beenden.</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>DATEI</translation>
    </message>
    <message>
        <source>Cube edges for --bench-views (default 512,1024).</source>
        <translation>Würfelkantenlängen für --bench-views (Standard 512,1024).</translation>
    </message>
    <message>
        <source>Language of the window: de, zh_CN or en (default: the system&apos;s).</source>
        <translation>Sprache des Fensters: de, zh_CN oder en (Standard: die des Systems).</translation>
    </message>
    <message>
        <source>LANGUAGE</source>
        <translation>SPRACHE</translation>
    </message>
    <message>
        <source>A volume file or a folder of TIFF slices to open.</source>
        <translation>Eine Volumendatei oder ein Ordner mit TIFF-Schichten zum Öffnen.</translation>
    </message>
    <message>
        <source>Cube edge for --bench-edit (default 1024).</source>
        <translation>Würfelkantenlänge für --bench-edit (Standard 1024).</translation>
    </message>
    <message>
        <source>Measure the window&apos;s event-loop latency idle and while a small training runs on the CPU, then exit.</source>
        <translation>Die Latenz der Ereignisschleife des Fensters im Leerlauf und während eines kleinen Trainings auf der CPU messen und beenden.</translation>
    </message>
    <message>
        <source>Train a small model on a phantom from the Train &amp; predict dock, save the window as a PNG FILE and exit.</source>
        <translation>Im Bereich „Trainieren und vorhersagen“ ein kleines Modell auf einem Phantom trainieren, das Fenster als PNG-Datei DATEI speichern und beenden.</translation>
    </message>
    <message>
        <source>Run the particle analysis of a phantom from the Statistics panel, save the window as a PNG FILE and exit.</source>
        <translation>Die Partikelanalyse eines Phantoms im Bereich „Statistik“ ausführen, das Fenster als PNG-Datei DATEI speichern und beenden.</translation>
    </message>
    <message>
        <source>Time slice changes on the phantom against the 16.7 ms frame budget and unchanged frames, measure memory, then exit.</source>
        <translation>Schichtwechsel auf dem Phantom gegen das Bildbudget von 16,7 ms und unveränderte Bilder messen, den Speicher messen und beenden.</translation>
    </message>
    <message>
        <source>Time brush dabs on a 1024^3 phantom against the 16.7 ms frame budget and unchanged frames, print undo memory, then exit.</source>
        <translation>Pinseltupfer auf einem Phantom von 1024³ gegen das Bildbudget von 16,7 ms und unveränderte Bilder messen, den Speicher für Rückgängig ausgeben und beenden.</translation>
    </message>
    <message>
        <source>With --bench-views, --bench-edit or --bench-latency: also write the final &apos;result:&apos; line&apos;s keys to this JSON FILE.</source>
        <translation>Mit --bench-views, --bench-edit oder --bench-latency: die Schlüssel der abschließenden Zeile „result:“ auch in diese JSON-Datei DATEI schreiben.</translation>
    </message>
    <message>
        <source>Bring this panel to the front: display, tools, training or statistics (screenshots of each panel).</source>
        <translation>Diesen Bereich in den Vordergrund holen: display, tools, training oder statistics (Bildschirmfotos jedes Bereichs).</translation>
    </message>
    <message>
        <source>PANEL</source>
        <translation>BEREICH</translation>
    </message>
</context>
<context>
    <name>ui::AboutText</name>
    <message>
        <source>&lt;b&gt;CDNet Studio %1&lt;/b&gt;&lt;p&gt;Crack detection and analysis in X-ray nano-tomography of lithium-ion battery cathodes.&lt;/p&gt;</source>
        <translation>&lt;b&gt;CDNet Studio %1&lt;/b&gt;&lt;p&gt;Risserkennung und -analyse in der Röntgen-Nanotomographie von Kathoden für Lithium-Ionen-Batterien.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>CUDA: in use (GPUs found: %1); training and prediction run on the GPU.</source>
        <translation>CUDA: in Verwendung (gefundene GPUs: %1); Training und Vorhersage laufen auf der GPU.</translation>
    </message>
    <message>
        <source>CUDA: not in use (LibTorch supports CUDA, but no GPU was found); training and prediction run on the CPU.</source>
        <translation>CUDA: nicht in Verwendung (LibTorch unterstützt CUDA, aber es wurde keine GPU gefunden); Training und Vorhersage laufen auf der CPU.</translation>
    </message>
    <message>
        <source>CUDA: not in use (this LibTorch is built for the CPU only); training and prediction run on the CPU.</source>
        <translation>CUDA: nicht in Verwendung (diese LibTorch-Version ist nur für die CPU gebaut); Training und Vorhersage laufen auf der CPU.</translation>
    </message>
    <message>
        <source>Libraries:</source>
        <translation>Bibliotheken:</translation>
    </message>
    <message>
        <source>About CDNet Studio</source>
        <translation>Über CDNet Studio</translation>
    </message>
    <message>
        <source>CUDA: not in use (GPUs found: %1, but CUDA fails to start: %2); training and prediction run on the CPU.</source>
        <translation>CUDA: nicht in Verwendung (GPUs gefunden: %1, aber CUDA startet nicht: %2); Training und Vorhersage laufen auf der CPU.</translation>
    </message>
    <message>
        <source>License: MIT. Third-party notices: THIRD-PARTY-NOTICES (installed in /usr/share/doc/cdnet-studio).</source>
        <translation>Lizenz: MIT. Hinweise zu Drittanbieter-Bibliotheken: THIRD-PARTY-NOTICES (installiert in /usr/share/doc/cdnet-studio).</translation>
    </message>
</context>
<context>
    <name>ui::AnalysisController</name>
    <message>
        <source>Open a volume first.</source>
        <translation>Zuerst ein Volumen öffnen.</translation>
    </message>
    <message>
        <source>Cannot start the analysis now: %1 is still running.</source>
        <translation>Die Analyse kann jetzt nicht starten: %1 läuft noch.</translation>
    </message>
    <message>
        <source>There is no prediction layer: run a prediction or choose the labels as the crack source.</source>
        <translation>Es gibt keine Vorhersage-Ebene: eine Vorhersage ausführen oder die Labels als Rissquelle wählen.</translation>
    </message>
    <message>
        <source>Cannot make the crack mask: %1</source>
        <translation>Die Rissmaske kann nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>Particle analysis</source>
        <translation>Partikelanalyse</translation>
    </message>
    <message>
        <source>Cannot start the analysis now: another job is running.</source>
        <translation>Die Analyse kann jetzt nicht starten: eine andere Aufgabe läuft.</translation>
    </message>
    <message>
        <source>The analysis failed: %1</source>
        <translation>Die Analyse ist fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>ui::CacheBudgetDialog</name>
    <message>
        <source>Memory for big volumes</source>
        <translation>Speicher für große Volumen</translation>
    </message>
    <message>
        <source>Volumes opened lazily keep the blocks they show in a cache of this size; the least recently shown blocks leave it first.</source>
        <translation>Verzögert geöffnete Volumen halten die angezeigten Blöcke in einem Zwischenspeicher dieser Größe; die am längsten nicht gezeigten Blöcke verlassen ihn zuerst.</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>Chunk cache budget</source>
        <translation>Budget des Block-Zwischenspeichers</translation>
    </message>
    <message>
        <source>In use now: %1 MiB in %2 blocks. This machine: %3 MiB of memory; default budget %4 MiB.</source>
        <translation>Jetzt belegt: %1 MiB in %2 Blöcken. Dieser Rechner: %3 MiB Arbeitsspeicher; Standardbudget %4 MiB.</translation>
    </message>
</context>
<context>
    <name>ui::DisplayPanel</name>
    <message>
        <source>Image window</source>
        <translation>Grauwertfenster</translation>
    </message>
    <message>
        <source>Minimum to maximum</source>
        <translation>Minimum bis Maximum</translation>
    </message>
    <message>
        <source>Whole type range</source>
        <translation>Gesamter Wertebereich des Typs</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Anwenden</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Voreinstellung</translation>
    </message>
    <message>
        <source>Black at</source>
        <translation>Schwarz bei</translation>
    </message>
    <message>
        <source>White at</source>
        <translation>Weiß bei</translation>
    </message>
    <message>
        <source>Shift + drag in a view: window (↔) and level (↕)</source>
        <translation>Umschalt + Ziehen in einer Ansicht: Fensterbreite (↔) und -mitte (↕)</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Show labels</source>
        <translation>Labels anzeigen</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>Deckkraft</translation>
    </message>
    <message>
        <source>crack</source>
        <translation>Riss</translation>
    </message>
    <message>
        <source>not crack</source>
        <translation>kein Riss</translation>
    </message>
    <message>
        <source>Change the colour of this label</source>
        <translation>Farbe dieses Labels ändern</translation>
    </message>
    <message>
        <source>Label colour</source>
        <translation>Labelfarbe</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Vorhersage</translation>
    </message>
    <message>
        <source>Show prediction</source>
        <translation>Vorhersage anzeigen</translation>
    </message>
    <message>
        <source>Colour map</source>
        <translation>Farbskala</translation>
    </message>
    <message>
        <source>Outline</source>
        <translation>Umriss</translation>
    </message>
    <message>
        <source>Style</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>Schwellenwert</translation>
    </message>
    <message>
        <source>3D view</source>
        <translation>3D-Ansicht</translation>
    </message>
    <message>
        <source>Volume rendering</source>
        <translation>Volumen-Rendering</translation>
    </message>
    <message>
        <source>Bright phase</source>
        <translation>Helle Phase</translation>
    </message>
    <message>
        <source>Linear ramp</source>
        <translation>Lineare Rampe</translation>
    </message>
    <message>
        <source>Maximum intensity</source>
        <translation>Maximale Intensität</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Transferfunktion</translation>
    </message>
    <message>
        <source>Crack labels</source>
        <translation>Riss-Labels</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>Crack surface</source>
        <translation>Rissoberfläche</translation>
    </message>
    <message>
        <source>Slice planes</source>
        <translation>Schichtebenen</translation>
    </message>
    <message>
        <source>Auto (0.5–99.5 %)</source>
        <translation>Automatisch (0,5–99,5 %)</translation>
    </message>
    <message>
        <source>Auto wide (0.05–99.95 %)</source>
        <translation>Automatisch breit (0,05–99,95 %)</translation>
    </message>
</context>
<context>
    <name>ui::EvolutionController</name>
    <message>
        <source>Open scan A (the first time point) first.</source>
        <translation>Zuerst Scan A (den ersten Zeitpunkt) öffnen.</translation>
    </message>
    <message>
        <source>Choose the image of scan B (the second time point).</source>
        <translation>Das Bild von Scan B (zweiter Zeitpunkt) wählen.</translation>
    </message>
    <message>
        <source>Cannot open the second time point now: %1 is still running.</source>
        <translation>Der zweite Zeitpunkt kann jetzt nicht geöffnet werden: %1 läuft noch.</translation>
    </message>
    <message>
        <source>No crack volume for scan B (&apos;%1&apos;): choose one under &quot;Cracks of B&quot;, or set the crack source to none for both time points.</source>
        <translation>Kein Rissvolumen für Scan B („%1“): unter „Risse von B“ eines wählen oder die Rissquelle für beide Zeitpunkte auf „keine“ setzen.</translation>
    </message>
    <message>
        <source>No crack volume for scan A (&apos;%1&apos;): set the crack source to the labels or the prediction, or clear &quot;Cracks of B&quot;.</source>
        <translation>Kein Rissvolumen für Scan A („%1“): die Rissquelle auf Labels oder Vorhersage setzen oder „Risse von B“ leeren.</translation>
    </message>
    <message>
        <source>Cannot make the crack mask of scan A: %1</source>
        <translation>Rissmaske von Scan A kann nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>Second time point</source>
        <translation>Zweiter Zeitpunkt</translation>
    </message>
    <message>
        <source>Cannot open the second time point now: another job is running.</source>
        <translation>Der zweite Zeitpunkt kann jetzt nicht geöffnet werden: eine andere Aufgabe läuft.</translation>
    </message>
    <message>
        <source>The second time point failed: %1</source>
        <translation>Der zweite Zeitpunkt ist fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>ui::EvolutionPanel</name>
    <message>
        <source>Volumes (*.tif *.tiff *.nrrd *.nhdr *.mha *.mhd *.nii *.nii.gz *.vol *.raw *.bin *.h5 *.hdf5 *.png);;All files (*)</source>
        <translation>Volumen (*.tif *.tiff *.nrrd *.nhdr *.mha *.mhd *.nii *.nii.gz *.vol *.raw *.bin *.h5 *.hdf5 *.png);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Open second time point…</source>
        <translation>Zweiten Zeitpunkt öffnen…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Export evolution CSV…</source>
        <translation>Entwicklungs-CSV exportieren…</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Crack volume of scan B (mask, labels or probability); needed when A&apos;s crack source is not none</source>
        <translation>Rissvolumen von Scan B (Maske, Labels oder Wahrscheinlichkeit); nötig, wenn die Rissquelle von A nicht „keine“ ist</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>No second time point</source>
        <translation>Kein zweiter Zeitpunkt</translation>
    </message>
    <message>
        <source>A</source>
        <translation>A</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>Show scan B resampled onto A&apos;s grid in the slice views (Ctrl+T flips)</source>
        <translation>Scan B auf das Gitter von A umgetastet in den Schnittansichten zeigen (Strg+T wechselt)</translation>
    </message>
    <message>
        <source>Cracks of B</source>
        <translation>Risse von B</translation>
    </message>
    <message>
        <source>Time point</source>
        <translation>Zeitpunkt</translation>
    </message>
    <message>
        <source>&lt;b&gt;Second time point&lt;/b&gt;</source>
        <translation>&lt;b&gt;Zweiter Zeitpunkt&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Crack volume of scan B</source>
        <translation>Rissvolumen von Scan B</translation>
    </message>
    <message>
        <source>Second time point cancelled</source>
        <translation>Zweiter Zeitpunkt abgebrochen</translation>
    </message>
    <message>
        <source>Second time point</source>
        <translation>Zweiter Zeitpunkt</translation>
    </message>
    <message>
        <source>Open second time point (scan B)</source>
        <translation>Zweiten Zeitpunkt öffnen (Scan B)</translation>
    </message>
    <message>
        <source>Export evolution CSV</source>
        <translation>Entwicklungs-CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>Export nicht möglich</translation>
    </message>
    <message>
        <source>Cannot write %1:
%2</source>
        <translation>%1 kann nicht geschrieben werden:
%2</translation>
    </message>
    <message>
        <source>B: %1
%2
%3 of %4 particles of A matched, %5 fractured, %6 lost, %7 outside B</source>
        <translation>B: %1
%2
%3 von %4 Partikeln von A zugeordnet, %5 zerbrochen, %6 verloren, %7 außerhalb von B</translation>
    </message>
    <message>
        <source>Damage in A and B: open a second time point</source>
        <translation>Schädigung in A und B: einen zweiten Zeitpunkt öffnen</translation>
    </message>
    <message>
        <source>Growth against depth: open a second time point</source>
        <translation>Wachstum über der Tiefe: einen zweiten Zeitpunkt öffnen</translation>
    </message>
    <message>
        <source>Crack fraction in A</source>
        <translation>Rissanteil in A</translation>
    </message>
    <message>
        <source>In B</source>
        <translation>In B</translation>
    </message>
    <message>
        <source>Damage per matched particle: B against A</source>
        <translation>Schädigung je zugeordnetem Partikel: B gegen A</translation>
    </message>
    <message>
        <source>Depth (µm)</source>
        <translation>Tiefe (µm)</translation>
    </message>
    <message>
        <source>Growth</source>
        <translation>Wachstum</translation>
    </message>
    <message>
        <source>Crack fraction growth against depth</source>
        <translation>Wachstum des Rissanteils über der Tiefe</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>Nebeneinander</translation>
    </message>
    <message>
        <source>Show A and B next to each other in a window of their own; the cursor moves both</source>
        <translation>A und B nebeneinander in einem eigenen Fenster zeigen; der Cursor bewegt beide</translation>
    </message>
    <message>
        <source>Always affine</source>
        <translation>Immer affin</translation>
    </message>
    <message>
        <source>Unchecked: rigid, then affine only where it fits clearly better and stays plausible (scales within 5 %, small shear), chosen automatically</source>
        <translation>Nicht angehakt: starr, dann affin nur, wo es deutlich besser passt und plausibel bleibt (Skalierung innerhalb 5 %, geringe Scherung), automatisch gewählt</translation>
    </message>
    <message>
        <source>Open scan B of the same sample: register it onto the open image (A), segment its particles with A&apos;s particles as markers and match them with A&apos;s</source>
        <translation>Scan B derselben Probe öffnen: auf das geöffnete Bild (A) registrieren, seine Partikel mit den Partikeln von A als Marker segmentieren und denen von A zuordnen</translation>
    </message>
    <message>
        <source>Registering B, segmenting it with A&apos;s particles as markers and matching…</source>
        <translation>B wird registriert, mit den Partikeln von A als Marker segmentiert und zugeordnet…</translation>
    </message>
    <message>
        <source>B segmented with A&apos;s particles as markers (%1 particles), as cdnet evolve does</source>
        <translation>B mit den Partikeln von A als Marker segmentiert (%1 Partikel), wie cdnet evolve es tut</translation>
    </message>
</context>
<context>
    <name>ui::JobLane</name>
    <message>
        <source>out of memory</source>
        <translation>nicht genügend Arbeitsspeicher</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
</context>
<context>
    <name>ui::JobProgressWidget</name>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
</context>
<context>
    <name>ui::KeyHelp</name>
    <message>
        <source>Other</source>
        <translation>Weitere</translation>
    </message>
    <message>
        <source>In the view under the mouse</source>
        <translation>In der Ansicht unter der Maus</translation>
    </message>
    <message>
        <source>next / previous slice</source>
        <translation>nächste / vorige Schicht</translation>
    </message>
    <message>
        <source>10 slices forward / back</source>
        <translation>10 Schichten vor / zurück</translation>
    </message>
    <message>
        <source>first / last slice</source>
        <translation>erste / letzte Schicht</translation>
    </message>
    <message>
        <source>zoom in / out</source>
        <translation>vergrößern / verkleinern</translation>
    </message>
    <message>
        <source>reset the view</source>
        <translation>Ansicht zurücksetzen</translation>
    </message>
    <message>
        <source>abort a stroke or polygon</source>
        <translation>Strich oder Polygon abbrechen</translation>
    </message>
    <message>
        <source>fill the polygon</source>
        <translation>Polygon füllen</translation>
    </message>
    <message>
        <source>Mouse</source>
        <translation>Maus</translation>
    </message>
    <message>
        <source>Left click / drag</source>
        <translation>Linksklick / Ziehen</translation>
    </message>
    <message>
        <source>move the crosshair; the other views follow (or paint, with a label tool)</source>
        <translation>Fadenkreuz bewegen; die anderen Ansichten folgen (mit einem Label-Werkzeug: malen)</translation>
    </message>
    <message>
        <source>Shift + left drag</source>
        <translation>Umschalt + Linksziehen</translation>
    </message>
    <message>
        <source>window (left/right) and level (up/down)</source>
        <translation>Fenster (links/rechts) und Level (hoch/runter)</translation>
    </message>
    <message>
        <source>Wheel</source>
        <translation>Mausrad</translation>
    </message>
    <message>
        <source>next/previous slice</source>
        <translation>nächste/vorige Schicht</translation>
    </message>
    <message>
        <source>Ctrl + wheel, right drag</source>
        <translation>Strg + Mausrad, Rechtsziehen</translation>
    </message>
    <message>
        <source>zoom</source>
        <translation>zoomen</translation>
    </message>
    <message>
        <source>Middle drag</source>
        <translation>Mittelziehen</translation>
    </message>
    <message>
        <source>pan</source>
        <translation>verschieben</translation>
    </message>
    <message>
        <source>Double-click</source>
        <translation>Doppelklick</translation>
    </message>
    <message>
        <source>maximise a view; again restores the four views</source>
        <translation>Ansicht maximieren; erneut: zurück zu vier Ansichten</translation>
    </message>
    <message>
        <source>3D view</source>
        <translation>3D-Ansicht</translation>
    </message>
    <message>
        <source>left drag rotates, middle pans, right drag or wheel zooms</source>
        <translation>Linksziehen dreht, Mitte verschiebt, Rechtsziehen oder Mausrad zoomt</translation>
    </message>
    <message>
        <source>Polygon tool</source>
        <translation>Polygon-Werkzeug</translation>
    </message>
    <message>
        <source>click vertices; double-click or Enter fills, with Shift erases</source>
        <translation>Eckpunkte klicken; Doppelklick oder Eingabe füllt, mit Umschalt löschen</translation>
    </message>
    <message>
        <source>Wheel over a panel</source>
        <translation>Mausrad über einem Bereich</translation>
    </message>
    <message>
        <source>scrolls the panel; a field takes the wheel only after a click into it</source>
        <translation>blättert den Bereich; ein Feld nimmt das Mausrad erst nach einem Klick hinein an</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <source>Keys act on the view under the mouse; no click is needed first.</source>
        <translation>Tasten wirken auf die Ansicht unter der Maus; ein Klick vorher ist nicht nötig.</translation>
    </message>
    <message>
        <source>Mouse and keys</source>
        <translation>Maus und Tasten</translation>
    </message>
</context>
<context>
    <name>ui::LabelActions</name>
    <message>
        <source>Navigate</source>
        <translation>Navigieren</translation>
    </message>
    <message>
        <source>Crosshair, pan and zoom (N)</source>
        <translation>Fadenkreuz, Verschieben und Zoomen (N)</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>Pinsel</translation>
    </message>
    <message>
        <source>Paint the active class with a round brush (B)</source>
        <translation>Die aktive Klasse mit einem runden Pinsel malen (B)</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>Radierer</translation>
    </message>
    <message>
        <source>Erase labels with a round brush (E)</source>
        <translation>Labels mit einem runden Pinsel löschen (E)</translation>
    </message>
    <message>
        <source>3D brush</source>
        <translation>3D-Pinsel</translation>
    </message>
    <message>
        <source>Paint with a sphere across slices (S)</source>
        <translation>Mit einer Kugel über mehrere Schichten malen (S)</translation>
    </message>
    <message>
        <source>Polygon</source>
        <translation>Polygon</translation>
    </message>
    <message>
        <source>Click vertices; double-click or Enter fills, with Shift erases (G)</source>
        <translation>Eckpunkte anklicken; Doppelklick oder Eingabetaste füllt, mit Umschalt wird gelöscht (G)</translation>
    </message>
    <message>
        <source>Flood fill</source>
        <translation>Flächenfüllung</translation>
    </message>
    <message>
        <source>Fill the connected region within the tolerance (F)</source>
        <translation>Den zusammenhängenden Bereich innerhalb der Toleranz füllen (F)</translation>
    </message>
    <message>
        <source>Smaller brush</source>
        <translation>Kleinerer Pinsel</translation>
    </message>
    <message>
        <source>Brush size - 1 ([)</source>
        <translation>Pinselgröße − 1 ([)</translation>
    </message>
    <message>
        <source>Larger brush</source>
        <translation>Größerer Pinsel</translation>
    </message>
    <message>
        <source>Brush size + 1 (])</source>
        <translation>Pinselgröße + 1 (])</translation>
    </message>
    <message>
        <source>Interpolate around slice</source>
        <translation>Um die Schicht interpolieren</translation>
    </message>
    <message>
        <source>Fill the XY slices between the nearest labelled slices below and above this one (I)</source>
        <translation>Die XY-Schichten zwischen der nächsten gelabelten Schicht darunter und darüber füllen (I)</translation>
    </message>
    <message>
        <source>Interpolate all gaps</source>
        <translation>Alle Lücken interpolieren</translation>
    </message>
    <message>
        <source>Fill every gap between labelled XY slices (Shift+I)</source>
        <translation>Jede Lücke zwischen gelabelten XY-Schichten füllen (Umschalt+I)</translation>
    </message>
    <message>
        <source>Slice fully annotated</source>
        <translation>Schicht vollständig annotiert</translation>
    </message>
    <message>
        <source>Mark or unmark the current XY slice as fully annotated: its unlabelled voxels count as not crack (M)</source>
        <translation>Die aktuelle XY-Schicht als vollständig annotiert markieren oder die Markierung aufheben: ihre Voxel ohne Label zählen als kein Riss (M)</translation>
    </message>
    <message>
        <source>Accept prediction</source>
        <translation>Vorhersage übernehmen</translation>
    </message>
    <message>
        <source>Write the whole prediction into unlabelled voxels</source>
        <translation>Die gesamte Vorhersage in Voxel ohne Label schreiben</translation>
    </message>
    <message>
        <source>Accept on slice</source>
        <translation>In der Schicht übernehmen</translation>
    </message>
    <message>
        <source>Write the prediction of the visible slice into its unlabelled voxels (Shift+A)</source>
        <translation>Die Vorhersage der sichtbaren Schicht in deren Voxel ohne Label schreiben (Umschalt+A)</translation>
    </message>
    <message>
        <source>Accept component</source>
        <translation>Komponente übernehmen</translation>
    </message>
    <message>
        <source>Accept the predicted crack connected to the voxel under the mouse (A)</source>
        <translation>Den vorhergesagten Riss übernehmen, der mit dem Voxel unter der Maus zusammenhängt (A)</translation>
    </message>
    <message>
        <source>Delete component</source>
        <translation>Komponente löschen</translation>
    </message>
    <message>
        <source>Delete the labelled component under the mouse (D)</source>
        <translation>Die gelabelte Komponente unter der Maus löschen (D)</translation>
    </message>
    <message>
        <source>%1: nothing to do here</source>
        <translation>%1: hier gibt es nichts zu tun</translation>
    </message>
    <message>
        <source>%1: %2 voxels changed</source>
        <translation>%1: %2 Voxel geändert</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Interpolate</source>
        <translation>Interpolieren</translation>
    </message>
    <message>
        <source>Slice z = %1 marked fully annotated</source>
        <translation>Schicht z = %1 als vollständig annotiert markiert</translation>
    </message>
    <message>
        <source>Slice z = %1 no longer fully annotated</source>
        <translation>Schicht z = %1 nicht mehr als vollständig annotiert markiert</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>&amp;Rückgängig: %1</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>&amp;Wiederherstellen: %1</translation>
    </message>
    <message>
        <source>Swap crack / not crack</source>
        <translation>Riss / kein Riss tauschen</translation>
    </message>
    <message>
        <source>Paint the other class: crack or not crack (T)</source>
        <translation>Die andere Klasse malen: Riss oder kein Riss (T)</translation>
    </message>
    <message>
        <source>Painting crack</source>
        <translation>Male Riss</translation>
    </message>
    <message>
        <source>Painting not crack</source>
        <translation>Male kein Riss</translation>
    </message>
</context>
<context>
    <name>ui::LabelEditor</name>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Tool</source>
        <translation>&amp;Werkzeug</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>Werkzeuge</translation>
    </message>
</context>
<context>
    <name>ui::LabelTools</name>
    <message>
        <source>✓ fully annotated</source>
        <translation>✓ vollständig annotiert</translation>
    </message>
    <message>
        <source>Flood fill: %1 voxels within %2 of %3</source>
        <translation>Flächenfüllung: %1 Voxel innerhalb %2 um %3</translation>
    </message>
    <message>
        <source>Flood fill changed nothing within %1 of %2 (no undo step); raise the flood tolerance?</source>
        <translation>Flächenfüllung hat innerhalb %1 um %2 nichts geändert (kein Rückgängig-Schritt); Fülltoleranz erhöhen?</translation>
    </message>
    <message>
        <source>The stroke changed no label (no undo step).</source>
        <translation>Der Strich hat kein Label geändert (kein Rückgängig-Schritt).</translation>
    </message>
    <message>
        <source>The polygon changed no label (no undo step).</source>
        <translation>Das Polygon hat kein Label geändert (kein Rückgängig-Schritt).</translation>
    </message>
</context>
<context>
    <name>ui::LazyAnalysisController</name>
    <message>
        <source>Cannot start the analysis now: another job is running.</source>
        <translation>Die Analyse kann jetzt nicht starten: eine andere Aufgabe läuft.</translation>
    </message>
    <message>
        <source>Particle analysis slab by slab</source>
        <translation>Blockweise Partikelanalyse</translation>
    </message>
    <message>
        <source>The analysis failed: %1</source>
        <translation>Die Analyse ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cannot open the particle labels %1:
%2</source>
        <translation>Die Partikel-Labels %1 können nicht geöffnet werden:
%2</translation>
    </message>
</context>
<context>
    <name>ui::LazyBrowser</name>
    <message>
        <source>Cannot open the labels: %1</source>
        <translation>Labels können nicht geöffnet werden: %1</translation>
    </message>
</context>
<context>
    <name>ui::LazyPredictionController</name>
    <message>
        <source>A prediction is already running.</source>
        <translation>Eine Vorhersage läuft bereits.</translation>
    </message>
    <message>
        <source>No model: train one, or load a checkpoint or a TorchScript U-Net.</source>
        <translation>Kein Modell: trainieren Sie eines oder laden Sie einen Checkpoint oder ein TorchScript-U-Net.</translation>
    </message>
    <message>
        <source>No volume is open lazily.</source>
        <translation>Kein Volumen ist verzögert geöffnet.</translation>
    </message>
    <message>
        <source>This volume is too thin for the current 2.5D model: it needs at least %1 slices.</source>
        <translation>Dieses Volumen ist für das aktuelle 2.5D-Modell zu dünn: es braucht mindestens %1 Schnitte.</translation>
    </message>
    <message>
        <source>Predict the visible slices</source>
        <translation>Die sichtbaren Schnitte vorhersagen</translation>
    </message>
    <message>
        <source>Predicting the visible %1 slice %2</source>
        <translation>Sage den sichtbaren %1-Schnitt %2 vorher</translation>
    </message>
    <message>
        <source>The prediction cannot replace the image itself: choose another name than %1.</source>
        <translation>Die Vorhersage kann nicht das Bild selbst ersetzen: wählen Sie einen anderen Namen als %1.</translation>
    </message>
    <message>
        <source>%1 exists already; it is not replaced without asking.</source>
        <translation>%1 existiert bereits; es wird nicht ohne Rückfrage ersetzt.</translation>
    </message>
    <message>
        <source>Predict the whole volume into %1</source>
        <translation>Das ganze Volumen in %1 vorhersagen</translation>
    </message>
    <message>
        <source>Predicting the whole volume into %1</source>
        <translation>Sage das ganze Volumen in %1 vorher</translation>
    </message>
    <message>
        <source>Cannot open the prediction %1:
%2</source>
        <translation>Die Vorhersage %1 kann nicht geöffnet werden:
%2</translation>
    </message>
    <message>
        <source>Prediction failed: %1</source>
        <translation>Vorhersage fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cannot write beside %1: %2</source>
        <translation>Kann nicht neben %1 schreiben: %2</translation>
    </message>
    <message>
        <source>Prediction failed: %1
The previous prediction %2 is unchanged.</source>
        <translation>Vorhersage fehlgeschlagen: %1
Die bisherige Vorhersage %2 bleibt unverändert.</translation>
    </message>
</context>
<context>
    <name>ui::LazyPredictionPanel</name>
    <message>
        <source>Prediction of the volume opened lazily (File &gt; Open OME-Zarr lazily), with the model of the Training panel. The whole volume is predicted slab by slab in bounded memory and written beside the image as an OME-Zarr of probabilities (255 = 1).</source>
        <translation>Vorhersage des verzögert geöffneten Volumens (Datei &gt; OME-Zarr verzögert öffnen) mit dem Modell des Trainingsbereichs. Das ganze Volumen wird Block für Block mit begrenztem Speicher vorhergesagt und neben dem Bild als OME-Zarr mit Wahrscheinlichkeiten (255 = 1) geschrieben.</translation>
    </message>
    <message>
        <source>Predict &amp;visible slices</source>
        <translation>&amp;Sichtbare Schnitte vorhersagen</translation>
    </message>
    <message>
        <source>Predicts the three slices the views show, at full resolution</source>
        <translation>Sagt die drei angezeigten Schnitte in voller Auflösung vorher</translation>
    </message>
    <message>
        <source>Predict &amp;whole volume…</source>
        <translation>&amp;Ganzes Volumen vorhersagen…</translation>
    </message>
    <message>
        <source>&amp;Analyse particles slab by slab</source>
        <translation>&amp;Partikel blockweise analysieren</translation>
    </message>
    <message>
        <source>Particle analysis of the image with the whole-volume prediction as cracks, slab by slab in bounded memory; the table goes to the Statistics panel and beside the image as a CSV</source>
        <translation>Partikelanalyse des Bildes mit der Vorhersage des ganzen Volumens als Risse, blockweise mit begrenztem Speicher; die Tabelle erscheint im Statistikbereich und als CSV neben dem Bild</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancelled; no prediction was left behind.</source>
        <translation>Abgebrochen; es blieb keine Vorhersage zurück.</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>Fertig.</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1 geschrieben</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Vorhersage</translation>
    </message>
    <message>
        <source>Replace?</source>
        <translation>Ersetzen?</translation>
    </message>
    <message>
        <source>%1 exists already. Replace it?</source>
        <translation>%1 existiert bereits. Ersetzen?</translation>
    </message>
    <message numerus="yes">
        <source>%n particle(s) in %1 slab(s); the table is in the Statistics panel and in %2</source>
        <translation>
            <numerusform>%n Partikel in %1 Block/Blöcken; die Tabelle steht im Statistikbereich und in %2</numerusform>
            <numerusform>%n Partikel in %1 Block/Blöcken; die Tabelle steht im Statistikbereich und in %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Analysis cancelled.</source>
        <translation>Analyse abgebrochen.</translation>
    </message>
    <message>
        <source>Particle analysis</source>
        <translation>Partikelanalyse</translation>
    </message>
    <message>
        <source>Predict the whole volume first: the analysis reads %1.</source>
        <translation>Sagen Sie zuerst das ganze Volumen vorher: die Analyse liest %1.</translation>
    </message>
    <message>
        <source>Open a volume lazily first (File &gt; Open OME-Zarr lazily)</source>
        <translation>Öffnen Sie zuerst ein Volumen verzögert (Datei &gt; OME-Zarr verzögert öffnen)</translation>
    </message>
    <message>
        <source>Writes %1; the views show it as it is written</source>
        <translation>Schreibt %1; die Ansichten zeigen es, während es geschrieben wird</translation>
    </message>
    <message>
        <source>Cancelled; the previous prediction %1 is kept.</source>
        <translation>Abgebrochen; die bisherige Vorhersage %1 bleibt erhalten.</translation>
    </message>
    <message>
        <source>The particle labels, %1, are shown in the slice views.</source>
        <translation>Die Partikel-Labels, %1, werden in den Schnittansichten angezeigt.</translation>
    </message>
</context>
<context>
    <name>ui::LoadController</name>
    <message>
        <source>Opening %1</source>
        <translation>%1 wird geöffnet</translation>
    </message>
    <message>
        <source>Reading the header of %1</source>
        <translation>Header von %1 wird gelesen</translation>
    </message>
</context>
<context>
    <name>ui::LoadRequest</name>
    <message>
        <source>Demo phantom</source>
        <translation>Demo-Phantom</translation>
    </message>
    <message>
        <source>Allocating the label layer</source>
        <translation>Label-Ebene wird angelegt</translation>
    </message>
    <message>
        <source>Computing the histogram</source>
        <translation>Histogramm wird berechnet</translation>
    </message>
    <message>
        <source>Preparing the 3D view</source>
        <translation>3D-Ansicht wird vorbereitet</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>phantom, %1</source>
        <translation>Phantom, %1</translation>
    </message>
</context>
<context>
    <name>ui::MainWindow</name>
    <message>
        <source>CDNet Studio</source>
        <translation>CDNet Studio</translation>
    </message>
    <message>
        <source>Cannot open</source>
        <translation>Öffnen nicht möglich</translation>
    </message>
    <message>
        <source>Cannot open %1:
%2</source>
        <translation>%1 kann nicht geöffnet werden:
%2</translation>
    </message>
    <message>
        <source>Opening %1 cancelled</source>
        <translation>Öffnen von %1 abgebrochen</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>Anzeige</translation>
    </message>
    <message>
        <source>No volume</source>
        <translation>Kein Volumen</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>Beschäftigt</translation>
    </message>
    <message>
        <source>Cannot open %1 now: %2 is still running.</source>
        <translation>%1 kann jetzt nicht geöffnet werden: %2 läuft noch.</translation>
    </message>
    <message>
        <source>%1 — CDNet Studio</source>
        <translation>%1 — CDNet Studio</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>Volumes (*.tif *.tiff *.nrrd *.nhdr *.mha *.mhd *.nii *.nii.gz *.vol *.raw *.bin *.h5 *.hdf5 *.png);;All files (*)</source>
        <translation>Volumen (*.tif *.tiff *.nrrd *.nhdr *.mha *.mhd *.nii *.nii.gz *.vol *.raw *.bin *.h5 *.hdf5 *.png);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open volume</source>
        <translation>Volumen öffnen</translation>
    </message>
    <message>
        <source>Open &amp;folder of TIFF slices…</source>
        <translation>&amp;Ordner mit TIFF-Schichten öffnen…</translation>
    </message>
    <message>
        <source>Open a folder of slices</source>
        <translation>Ordner mit Schichten öffnen</translation>
    </message>
    <message>
        <source>Open with &amp;crop and downsample…</source>
        <translation>Mit &amp;Zuschnitt und Verkleinerung öffnen…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Zu&amp;letzt geöffnet</translation>
    </message>
    <message>
        <source>Open &amp;demo phantom</source>
        <translation>&amp;Demo-Phantom öffnen</translation>
    </message>
    <message>
        <source>Save &amp;screenshot…</source>
        <translation>Bildschirmfoto &amp;speichern…</translation>
    </message>
    <message>
        <source>Save screenshot</source>
        <translation>Bildschirmfoto speichern</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>Speichern nicht möglich</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Reset all views</source>
        <translation>Alle Ansichten &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>XY</source>
        <translation>XY</translation>
    </message>
    <message>
        <source>XZ</source>
        <translation>XZ</translation>
    </message>
    <message>
        <source>YZ</source>
        <translation>YZ</translation>
    </message>
    <message>
        <source>3D</source>
        <translation>3D</translation>
    </message>
    <message>
        <source>Maximise %1</source>
        <translation>%1 maximieren</translation>
    </message>
    <message>
        <source>Four views</source>
        <translation>Vier Ansichten</translation>
    </message>
    <message>
        <source>Show &amp;crosshair</source>
        <translation>&amp;Fadenkreuz anzeigen</translation>
    </message>
    <message>
        <source>Show &amp;labels</source>
        <translation>&amp;Labels anzeigen</translation>
    </message>
    <message>
        <source>Show &amp;prediction</source>
        <translation>&amp;Vorhersage anzeigen</translation>
    </message>
    <message>
        <source>Left button: crosshair</source>
        <translation>Linke Maustaste: Fadenkreuz</translation>
    </message>
    <message>
        <source>Left button: window/level</source>
        <translation>Linke Maustaste: Fensterbreite/-mitte</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Mouse and keys</source>
        <translation>&amp;Maus und Tasten</translation>
    </message>
    <message>
        <source>&amp;About CDNet Studio</source>
        <translation>Ü&amp;ber CDNet Studio</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message>
        <source>Crosshair</source>
        <translation>Fadenkreuz</translation>
    </message>
    <message>
        <source>Window/level</source>
        <translation>Fensterung</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>Liste leeren</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>Statistik</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>Opened %1. Warning: %2</source>
        <translation>%1 geöffnet. Warnung: %2</translation>
    </message>
    <message numerus="yes">
        <source>Loading %n block(s)…</source>
        <translation>
            <numerusform>%n Block wird geladen…</numerusform>
            <numerusform>%n Blöcke werden geladen…</numerusform>
        </translation>
    </message>
    <message>
        <source>All visible blocks loaded</source>
        <translation>Alle sichtbaren Blöcke geladen</translation>
    </message>
    <message>
        <source>Open OME-Zarr &amp;lazily (larger than memory)…</source>
        <translation>OME-Zarr &amp;bedarfsweise öffnen (größer als der Speicher)…</translation>
    </message>
    <message>
        <source>Open an OME-Zarr folder lazily</source>
        <translation>OME-Zarr-Ordner bedarfsweise öffnen</translation>
    </message>
    <message>
        <source>Cannot open %1</source>
        <translation>%1 kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Open &amp;second time point…</source>
        <translation>&amp;Zweiten Zeitpunkt öffnen…</translation>
    </message>
    <message>
        <source>Show &amp;time point B</source>
        <translation>&amp;Zeitpunkt B zeigen</translation>
    </message>
    <message>
        <source>Showing %1 from its pyramid %2 as it loads</source>
        <translation>%1 wird beim Laden aus seiner Pyramide %2 angezeigt</translation>
    </message>
    <message>
        <source>Big volume (opened lazily)</source>
        <translation>Großes Volumen (verzögert geöffnet)</translation>
    </message>
    <message>
        <source>Part of the volume could not be read and is shown hatched: %1</source>
        <translation>Ein Teil des Volumens konnte nicht gelesen werden und ist schraffiert dargestellt: %1</translation>
    </message>
    <message>
        <source>Showing %1 as it loads; labels are saved next to it (Ctrl+Alt+S)</source>
        <translation>%1 wird beim Laden angezeigt; Labels werden daneben gespeichert (Strg+Alt+S)</translation>
    </message>
    <message>
        <source>Open &amp;HDF5 lazily (larger than memory)…</source>
        <translation>&amp;HDF5 bedarfsweise öffnen (größer als der Speicher)…</translation>
    </message>
    <message>
        <source>Open an HDF5 file lazily</source>
        <translation>HDF5-Datei bedarfsweise öffnen</translation>
    </message>
    <message>
        <source>HDF5 files (*.h5 *.hdf5 *.hdf *.nxs)</source>
        <translation>HDF5-Dateien (*.h5 *.hdf5 *.hdf *.nxs)</translation>
    </message>
    <message>
        <source>&amp;Memory for big volumes…</source>
        <translation>&amp;Speicher für große Volumen…</translation>
    </message>
</context>
<context>
    <name>ui::OpenVolumeDialog</name>
    <message>
        <source>Open volume</source>
        <translation>Volumen öffnen</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>Volumen</translation>
    </message>
    <message>
        <source>from</source>
        <translation>von</translation>
    </message>
    <message>
        <source>to (inclusive)</source>
        <translation>bis (einschließlich)</translation>
    </message>
    <message>
        <source>Crop (voxels)</source>
        <translation>Zuschnitt (Voxel)</translation>
    </message>
    <message>
        <source>Downsample</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Result: %1.
Memory: %2 image + %3 labels; %4 available.</source>
        <translation>Ergebnis: %1.
Speicher: %2 Bild + %3 Labels; %4 verfügbar.</translation>
    </message>
    <message>
        <source>
This does not fit: crop or downsample more.</source>
        <translation>
Das passt nicht in den Speicher: stärker zuschneiden oder verkleinern.</translation>
    </message>
</context>
<context>
    <name>ui::ParticleColumns</name>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Particle id, the value in the particle label volume</source>
        <translation>Partikel-ID, der Wert im Partikel-Labelvolumen</translation>
    </message>
    <message>
        <source>Centroid x</source>
        <translation>Schwerpunkt x</translation>
    </message>
    <message>
        <source>Centroid x (volume origin + index * spacing)</source>
        <translation>Schwerpunkt x (Volumenursprung + Index * Voxelabstand)</translation>
    </message>
    <message>
        <source>Centroid y</source>
        <translation>Schwerpunkt y</translation>
    </message>
    <message>
        <source>Centroid z</source>
        <translation>Schwerpunkt z</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>Tiefe</translation>
    </message>
    <message>
        <source>Centroid distance from the chosen electrode face (outer face of the first or last slice)</source>
        <translation>Abstand des Schwerpunkts von der gewählten Elektrodenfläche (Außenseite der ersten oder letzten Schicht)</translation>
    </message>
    <message>
        <source>Filled voxels</source>
        <translation>Gefüllte Voxel</translation>
    </message>
    <message>
        <source>Voxels of the particle with its cracks and holes filled</source>
        <translation>Voxel des Partikels mit gefüllten Rissen und Löchern</translation>
    </message>
    <message>
        <source>Filled volume</source>
        <translation>Gefülltes Volumen</translation>
    </message>
    <message>
        <source>Volume with cracks and enclosed holes filled</source>
        <translation>Volumen mit gefüllten Rissen und eingeschlossenen Löchern</translation>
    </message>
    <message>
        <source>Solid volume</source>
        <translation>Feststoffvolumen</translation>
    </message>
    <message>
        <source>Volume of solid voxels (grey value &gt;= threshold, not crack)</source>
        <translation>Volumen der Feststoffvoxel (Grauwert &gt;= Schwellenwert, kein Riss)</translation>
    </message>
    <message>
        <source>Crack volume</source>
        <translation>Rissvolumen</translation>
    </message>
    <message>
        <source>Volume of crack-mask voxels inside the particle</source>
        <translation>Volumen der Rissmasken-Voxel im Partikel</translation>
    </message>
    <message>
        <source>Void volume</source>
        <translation>Hohlraumvolumen</translation>
    </message>
    <message>
        <source>Volume of enclosed dark voxels that are not in the crack mask (pores, missed cracks)</source>
        <translation>Volumen eingeschlossener dunkler Voxel, die nicht in der Rissmaske liegen (Poren, übersehene Risse)</translation>
    </message>
    <message>
        <source>Crack fraction</source>
        <translation>Rissanteil</translation>
    </message>
    <message>
        <source>Crack volume fraction (damage degree) = crack_volume / filled_volume</source>
        <translation>Rissvolumenanteil (Schädigungsgrad) = crack_volume / filled_volume</translation>
    </message>
    <message>
        <source>Damage fraction</source>
        <translation>Schädigungsanteil</translation>
    </message>
    <message>
        <source>(filled_volume - solid_volume) / filled_volume = crack + void fraction</source>
        <translation>(filled_volume - solid_volume) / filled_volume = Riss- + Hohlraumanteil</translation>
    </message>
    <message>
        <source>Crack pieces</source>
        <translation>Rissstücke</translation>
    </message>
    <message>
        <source>Connected pieces (26-connected) of the crack inside the particle</source>
        <translation>Zusammenhängende Stücke (26er-Nachbarschaft) des Risses im Partikel</translation>
    </message>
    <message>
        <source>Eq diameter</source>
        <translation>Äquivalentdurchmesser</translation>
    </message>
    <message>
        <source>Equivalent sphere diameter (6 V / pi)^(1/3) of the filled volume</source>
        <translation>Durchmesser der volumengleichen Kugel (6 V / pi)^(1/3) des gefüllten Volumens</translation>
    </message>
    <message>
        <source>Surface area</source>
        <translation>Oberfläche</translation>
    </message>
    <message>
        <source>Surface area, Cauchy-Crofton estimate over 13 lattice directions</source>
        <translation>Oberfläche, Cauchy-Crofton-Schätzung über 13 Gitterrichtungen</translation>
    </message>
    <message>
        <source>Sphericity</source>
        <translation>Sphärizität</translation>
    </message>
    <message>
        <source>36 pi V^2 / S^3 (1 for a sphere)</source>
        <translation>36 pi V^2 / S^3 (1 für eine Kugel)</translation>
    </message>
    <message>
        <source>Elongation</source>
        <translation>Elongation</translation>
    </message>
    <message>
        <source>sqrt(l2 / l1) of the inertia (covariance) eigenvalues l1 &gt;= l2 &gt;= l3 (1 = round)</source>
        <translation>sqrt(l2 / l1) der Trägheits- (Kovarianz-)Eigenwerte l1 &gt;= l2 &gt;= l3 (1 = rund)</translation>
    </message>
    <message>
        <source>Flatness</source>
        <translation>Flachheit</translation>
    </message>
    <message>
        <source>sqrt(l3 / l2) (1 = round)</source>
        <translation>sqrt(l3 / l2) (1 = rund)</translation>
    </message>
    <message>
        <source>Major axis angle</source>
        <translation>Hauptachsenwinkel</translation>
    </message>
    <message>
        <source>Angle between the longest principal axis and the depth axis</source>
        <translation>Winkel zwischen der längsten Hauptachse und der Tiefenachse</translation>
    </message>
    <message>
        <source>Feret diameter</source>
        <translation>Feret-Durchmesser</translation>
    </message>
    <message>
        <source>Maximum caliper diameter</source>
        <translation>Maximaler Feret-Durchmesser (Messschieberdurchmesser)</translation>
    </message>
    <message>
        <source>Mean grey</source>
        <translation>Mittlerer Grauwert</translation>
    </message>
    <message>
        <source>Mean grey value of the solid voxels (of all voxels when none is solid)</source>
        <translation>Mittlerer Grauwert der Feststoffvoxel (aller Voxel, wenn keines Feststoff ist)</translation>
    </message>
    <message>
        <source>Packing density</source>
        <translation>Packungsdichte</translation>
    </message>
    <message>
        <source>Fraction of voxels holding a particle in the sphere of radius factor * eq_diameter around the centroid (inside the volume)</source>
        <translation>Anteil der Voxel mit Partikel in der Kugel mit Radius Faktor * eq_diameter um den Schwerpunkt (innerhalb des Volumens)</translation>
    </message>
    <message>
        <source>Nn distance</source>
        <translation>NN-Abstand</translation>
    </message>
    <message>
        <source>Distance from the centroid to the nearest other particle&apos;s centroid (empty when alone)</source>
        <translation>Abstand vom Schwerpunkt zum Schwerpunkt des nächsten anderen Partikels (leer, wenn allein)</translation>
    </message>
    <message>
        <source>Nn id</source>
        <translation>NN-ID</translation>
    </message>
    <message>
        <source>Id of that nearest particle (empty when alone)</source>
        <translation>ID dieses nächsten Partikels (leer, wenn allein)</translation>
    </message>
    <message>
        <source>Touching neighbours</source>
        <translation>Berührende Nachbarn</translation>
    </message>
    <message>
        <source>Particles sharing at least one voxel face with this one</source>
        <translation>Partikel, die mindestens eine Voxelfläche mit diesem teilen</translation>
    </message>
    <message>
        <source>Border</source>
        <translation>Rand</translation>
    </message>
    <message>
        <source>1 when the particle touches a face of the volume (cut: sizes are partial)</source>
        <translation>1, wenn das Partikel eine Außenfläche des Volumens berührt (angeschnitten: Größen sind unvollständig)</translation>
    </message>
</context>
<context>
    <name>ui::ParticleLayer</name>
    <message>
        <source>Merge particles %1 and %2</source>
        <translation>Partikel %1 und %2 zusammenführen</translation>
    </message>
    <message>
        <source>Delete particle %1</source>
        <translation>Partikel %1 löschen</translation>
    </message>
    <message>
        <source>Split particle %1</source>
        <translation>Partikel %1 teilen</translation>
    </message>
    <message>
        <source>Re-measuring particles</source>
        <translation>Partikel werden neu vermessen</translation>
    </message>
</context>
<context>
    <name>ui::PredictionController</name>
    <message>
        <source>Cannot load the model %1:
%2</source>
        <translation>Das Modell %1 kann nicht geladen werden:
%2</translation>
    </message>
    <message>
        <source>A prediction is already running.</source>
        <translation>Es läuft bereits eine Vorhersage.</translation>
    </message>
    <message>
        <source>No model: train one, or load a checkpoint or a TorchScript U-Net.</source>
        <translation>Kein Modell: eines trainieren oder einen Checkpoint bzw. ein TorchScript-U-Net laden.</translation>
    </message>
    <message>
        <source>No volume is open.</source>
        <translation>Es ist kein Volumen geöffnet.</translation>
    </message>
    <message>
        <source>No slice to predict.</source>
        <translation>Keine Schicht zum Vorhersagen.</translation>
    </message>
    <message>
        <source>Predicting slice %1 (%2 of %3)</source>
        <translation>Schicht %1 wird vorhergesagt (%2 von %3)</translation>
    </message>
    <message>
        <source>Prediction failed: %1</source>
        <translation>Vorhersage fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Predict the whole volume</source>
        <translation>Das ganze Volumen vorhersagen</translation>
    </message>
    <message>
        <source>Predict sample slices for a suggestion</source>
        <translation>Stichprobenschichten für einen Vorschlag vorhersagen</translation>
    </message>
    <message>
        <source>Predict slice %1</source>
        <translation>Schicht %1 vorhersagen</translation>
    </message>
    <message numerus="yes">
        <source>This volume has %n slice(s), too few for the current model, a 2.5D model that sees %1 neighbour slice(s) above and below: it needs at least %2. Use a 2D model for it.</source>
        <translation>
            <numerusform>Dieses Volumen hat %n Schicht, zu wenige für das aktuelle Modell, ein 2,5D-Modell, das %1 Nachbarschicht(en) darüber und darunter sieht: es braucht mindestens %2. Dafür ein 2D-Modell verwenden.</numerusform>
            <numerusform>Dieses Volumen hat %n Schichten, zu wenige für das aktuelle Modell, ein 2,5D-Modell, das %1 Nachbarschicht(en) darüber und darunter sieht: es braucht mindestens %2. Dafür ein 2D-Modell verwenden.</numerusform>
        </translation>
    </message>
    <message>
        <source>Predicting slices %1 to %2 in XY, XZ and YZ (tri-planar)</source>
        <translation>Sage Schichten %1 bis %2 in XY, XZ und YZ vorher (triplanar)</translation>
    </message>
    <message>
        <source>Predict the whole volume (tri-planar)</source>
        <translation>Ganzes Volumen vorhersagen (triplanar)</translation>
    </message>
</context>
<context>
    <name>ui::PredictionPanel</name>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Load checkpoint...</source>
        <translation>Checkpoint laden…</translation>
    </message>
    <message>
        <source>Save a copy...</source>
        <translation>Kopie speichern…</translation>
    </message>
    <message>
        <source>Export TorchScript...</source>
        <translation>TorchScript exportieren…</translation>
    </message>
    <message>
        <source>Import TorchScript...</source>
        <translation>TorchScript importieren…</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Vorhersage</translation>
    </message>
    <message>
        <source>Predict current slice</source>
        <translation>Aktuelle Schicht vorhersagen</translation>
    </message>
    <message>
        <source>Predict slices around it (±2)</source>
        <translation>Schichten um sie herum vorhersagen (±2)</translation>
    </message>
    <message>
        <source>Predict whole volume</source>
        <translation>Ganzes Volumen vorhersagen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Accept predicted slices</source>
        <translation>Vorhergesagte Schichten übernehmen</translation>
    </message>
    <message>
        <source>On predicted slices, writes crack where the prediction is at least 0.5 and not crack elsewhere, on unlabelled voxels only (one undo step)</source>
        <translation>Schreibt auf vorhergesagten Schichten Riss, wo die Vorhersage mindestens 0,5 beträgt, sonst kein Riss; nur in Voxel ohne Label (ein Rückgängig-Schritt)</translation>
    </message>
    <message>
        <source>Suggest next slice</source>
        <translation>Nächste Schicht vorschlagen</translation>
    </message>
    <message>
        <source>Jumps to the slice where the model is least certain (mean binary entropy)</source>
        <translation>Springt zu der Schicht, in der das Modell am unsichersten ist (mittlere binäre Entropie)</translation>
    </message>
    <message>
        <source>Predict slices %1 to %2</source>
        <translation>Schichten %1 bis %2 vorhersagen</translation>
    </message>
    <message>
        <source>Load a CDNet checkpoint</source>
        <translation>Einen CDNet-Checkpoint laden</translation>
    </message>
    <message>
        <source>Checkpoints (*.pt);;All files (*)</source>
        <translation>Checkpoints (*.pt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Import a TorchScript U-Net</source>
        <translation>Ein TorchScript-U-Net importieren</translation>
    </message>
    <message>
        <source>TorchScript (*.pt *.pth *.ts);;All files (*)</source>
        <translation>TorchScript (*.pt *.pth *.ts);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Prediction cancelled; finished slices are kept.</source>
        <translation>Vorhersage abgebrochen; fertige Schichten bleiben erhalten.</translation>
    </message>
    <message>
        <source>slice %1: entropy %2</source>
        <translation>Schicht %1: Entropie %2</translation>
    </message>
    <message>
        <source>Most uncertain slices:
%1</source>
        <translation>Unsicherste Schichten:
%1</translation>
    </message>
    <message>
        <source>No model yet: train one above, or load a checkpoint.</source>
        <translation>Noch kein Modell: oben eines trainieren oder einen Checkpoint laden.</translation>
    </message>
    <message>
        <source>TorchScript</source>
        <translation>TorchScript</translation>
    </message>
    <message>
        <source>CDNet checkpoint</source>
        <translation>CDNet-Checkpoint</translation>
    </message>
    <message>
        <source>, base width %1</source>
        <translation>, Basisbreite %1</translation>
    </message>
    <message>
        <source>%1%2, %3 parameters, on %4
%5</source>
        <translation>%1%2, %3 Parameter, auf %4
%5</translation>
    </message>
    <message>
        <source>The prediction changed no label.</source>
        <translation>Die Vorhersage hat kein Label geändert.</translation>
    </message>
    <message>
        <source>Cannot accept the prediction: %1</source>
        <translation>Die Vorhersage kann nicht übernommen werden: %1</translation>
    </message>
    <message>
        <source>Save the model as a checkpoint</source>
        <translation>Das Modell als Checkpoint speichern</translation>
    </message>
    <message>
        <source>Checkpoints (*.pt)</source>
        <translation>Checkpoints (*.pt)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Cannot save %1: %2</source>
        <translation>%1 kann nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Export the model as TorchScript</source>
        <translation>Das Modell als TorchScript exportieren</translation>
    </message>
    <message>
        <source>TorchScript (*.pt)</source>
        <translation>TorchScript (*.pt)</translation>
    </message>
    <message>
        <source>Exported %1 (torch.jit.load in Python runs it)</source>
        <translation>%1 exportiert (torch.jit.load in Python führt es aus)</translation>
    </message>
    <message>
        <source>Cannot export %1: %2</source>
        <translation>%1 kann nicht exportiert werden: %2</translation>
    </message>
    <message>
        <source>Use the starter model</source>
        <translation>Startmodell verwenden</translation>
    </message>
    <message>
        <source>A small CDNet pretrained on phantoms that ships with CDNet Studio: a first prediction before you label anything; fine-tune it on your labels for your data</source>
        <translation>Ein kleines, auf Phantomen vortrainiertes CDNet, das mit CDNet Studio geliefert wird: eine erste Vorhersage, bevor Sie etwas markieren; passen Sie es mit Ihren Markierungen an Ihre Daten an</translation>
    </message>
    <message>
        <source>No model yet: train one above, load a checkpoint, or use the starter model.</source>
        <translation>Noch kein Modell: Trainieren Sie oben eines, laden Sie einen Checkpoint oder verwenden Sie das Startmodell.</translation>
    </message>
    <message>
        <source>Test-time augmentation (about 8x slower)</source>
        <translation>Testzeit-Augmentierung (etwa 8-mal langsamer)</translation>
    </message>
    <message>
        <source>Averages the predictions of the 8 flips and 90-degree rotations of every tile: smoother, orientation-independent probabilities at about eight times the cost</source>
        <translation>Mittelt die Vorhersagen der 8 Spiegelungen und 90-Grad-Drehungen jeder Kachel: glattere, von der Ausrichtung unabhängige Wahrscheinlichkeiten zum etwa achtfachen Aufwand</translation>
    </message>
    <message>
        <source>, 2.5D (%1 neighbour slices each side)</source>
        <translation>, 2.5D (%1 Nachbarschichten je Seite)</translation>
    </message>
    <message numerus="yes">
        <source>Prediction done: the model found no crack (no voxel above 0.5 on %n predicted slice(s)).</source>
        <translation>
            <numerusform>Vorhersage fertig: das Modell hat keinen Riss gefunden (kein Voxel über 0,5 auf %n vorhergesagten Schicht).</numerusform>
            <numerusform>Vorhersage fertig: das Modell hat keinen Riss gefunden (kein Voxel über 0,5 auf %n vorhergesagten Schichten).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Prediction done: %1 voxels (%2 %) above 0.5 on %n predicted slice(s).</source>
        <translation>
            <numerusform>Vorhersage fertig: %1 Voxel (%2 %) über 0,5 auf %n vorhergesagten Schicht.</numerusform>
            <numerusform>Vorhersage fertig: %1 Voxel (%2 %) über 0,5 auf %n vorhergesagten Schichten.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to suggest: every predicted slice is labelled, suggested before or within %1 slices of one. Predict more slices, or label the suggested ones.</source>
        <translation>Nichts vorzuschlagen: jede vorhergesagte Schicht ist gelabelt, schon vorgeschlagen oder höchstens %1 Schichten davon entfernt. Mehr Schichten vorhersagen oder die vorgeschlagenen labeln.</translation>
    </message>
    <message>
        <source>Prediction accepted: %1 voxels labelled (Undo reverts it).</source>
        <translation>Vorhersage übernommen: %1 Voxel gelabelt (Rückgängig macht es ungeschehen).</translation>
    </message>
    <message numerus="yes">
        <source>Accept the prediction on %n slice(s)?</source>
        <translation>
            <numerusform>Die Vorhersage auf %n Schicht übernehmen?</numerusform>
            <numerusform>Die Vorhersage auf %n Schichten übernehmen?</numerusform>
        </translation>
    </message>
    <message>
        <source>This labels %1 unlabelled voxels: %2 as crack, the others as not crack. Undo reverts it.</source>
        <translation>Dies labelt %1 ungelabelte Voxel: %2 als Riss, die übrigen als kein Riss. Rückgängig macht es ungeschehen.</translation>
    </message>
    <message numerus="yes">
        <source>The prediction on %n slice(s) is not from the current model: predict again to update it.</source>
        <translation>
            <numerusform>Die Vorhersage auf %n Schicht stammt nicht vom aktuellen Modell: erneut vorhersagen, um sie zu aktualisieren.</numerusform>
            <numerusform>Die Vorhersage auf %n Schichten stammt nicht vom aktuellen Modell: erneut vorhersagen, um sie zu aktualisieren.</numerusform>
        </translation>
    </message>
    <message>
        <source>Tri-planar fusion (about 3x slower)</source>
        <translation>Triplanare Fusion (etwa 3x langsamer)</translation>
    </message>
    <message>
        <source>Predict whole volume only: also predicts every XZ and YZ plane and averages the three probabilities, for cracks that agree from slice to slice, at about three times the cost. Single slices and the slices around one are predicted in their XY plane.</source>
        <translation>Nur für „Ganzes Volumen vorhersagen“: sagt auch jede XZ- und YZ-Ebene vorher und mittelt die drei Wahrscheinlichkeiten, für Risse, die von Schicht zu Schicht übereinstimmen, bei etwa dreifachen Kosten. Einzelne Schichten und die Schichten um eine herum werden in ihrer XY-Ebene vorhergesagt.</translation>
    </message>
    <message>
        <source>Tri-planar fusion applies to Predict whole volume only: this predicts in the XY plane</source>
        <translation>Triplanare Fusion gilt nur für „Ganzes Volumen vorhersagen“: dies sagt in der XY-Ebene vorher</translation>
    </message>
    <message>
        <source>Precision: auto</source>
        <translation>Genauigkeit: auto</translation>
    </message>
    <message>
        <source>Precision: fp32</source>
        <translation>Genauigkeit: fp32</translation>
    </message>
    <message>
        <source>Precision: bf16</source>
        <translation>Genauigkeit: bf16</translation>
    </message>
    <message>
        <source>Arithmetic of the network. Auto: bf16 where the processor computes it natively (AVX512_BF16 or AMX; this one: %1), else fp32. bf16 is faster and moves probabilities by about 0.01; fp32 gives exactly the results of earlier versions; bf16 on a processor without it is refused.</source>
        <translation>Rechenart des Netzes. Auto: bf16, wo der Prozessor es nativ berechnet (AVX512_BF16 oder AMX; dieser: %1), sonst fp32. bf16 ist schneller und verschiebt Wahrscheinlichkeiten um etwa 0,01; fp32 liefert genau die Ergebnisse früherer Versionen; bf16 wird auf einem Prozessor ohne diese Befehle abgelehnt.</translation>
    </message>
    <message>
        <source>
Calibrated threshold %1 on held-out labels (not used by default: the overlay follows the slider)</source>
        <translation>
Kalibrierte Schwelle %1 an zurückgehaltenen Labels (standardmäßig nicht verwendet: die Überlagerung folgt dem Schieberegler)</translation>
    </message>
    <message>
        <source>
Calibrated threshold %1 on its training labels (not used by default: the overlay follows the slider)</source>
        <translation>
Kalibrierte Schwelle %1 an den eigenen Trainingslabels (standardmäßig nicht verwendet: die Überlagerung folgt dem Schieberegler)</translation>
    </message>
</context>
<context>
    <name>ui::ProjectController</name>
    <message>
        <source>CDNet projects (*.cdnet)</source>
        <translation>CDNet-Projekte (*.cdnet)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>The labels of %1 have unsaved changes. Save them?</source>
        <translation>Die Labels von %1 haben ungespeicherte Änderungen. Speichern?</translation>
    </message>
    <message>
        <source>Recover unsaved work</source>
        <translation>Ungespeicherte Arbeit wiederherstellen</translation>
    </message>
    <message>
        <source>CDNet Studio did not close properly. Labels of %1 were autosaved at %2.
Recover them?</source>
        <translation>CDNet Studio wurde nicht ordnungsgemäß beendet. Die Labels von %1 wurden um %2 automatisch gesichert.
Wiederherstellen?</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Später</translation>
    </message>
    <message>
        <source>Save project</source>
        <translation>Projekt speichern</translation>
    </message>
    <message>
        <source>&amp;New project</source>
        <translation>&amp;Neues Projekt</translation>
    </message>
    <message>
        <source>Open pro&amp;ject…</source>
        <translation>Pro&amp;jekt öffnen…</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <source>&amp;Save project</source>
        <translation>Projekt s&amp;peichern</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>Projekt speichern &amp;unter…</translation>
    </message>
    <message>
        <source>Recent pro&amp;jects</source>
        <translation>Zuletzt geöffnete Pro&amp;jekte</translation>
    </message>
    <message>
        <source>Cannot open project</source>
        <translation>Projekt kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>Speichern nicht möglich</translation>
    </message>
    <message>
        <source>There is no volume to save a project of.</source>
        <translation>Es ist kein Volumen geöffnet, dessen Projekt gespeichert werden könnte.</translation>
    </message>
    <message>
        <source>%1 is not a file on disk: a project needs its image as a file.</source>
        <translation>%1 ist keine Datei auf dem Datenträger: ein Projekt braucht sein Bild als Datei.</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>This project is open in another CDNet Studio: no autosave here.</source>
        <translation>Dieses Projekt ist in einem anderen CDNet Studio geöffnet: hier keine automatische Sicherung.</translation>
    </message>
    <message>
        <source>Autosave failed: %1</source>
        <translation>Automatische Sicherung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cannot recover</source>
        <translation>Wiederherstellung nicht möglich</translation>
    </message>
    <message>
        <source>CDNet Studio</source>
        <translation>CDNet Studio</translation>
    </message>
    <message>
        <source>%1%2 — CDNet Studio</source>
        <translation>%1%2 — CDNet Studio</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Cannot open the project %1:
%2</source>
        <translation>Das Projekt %1 kann nicht geöffnet werden:
%2</translation>
    </message>
    <message>
        <source>The project&apos;s prediction %1 is missing: opened without it.</source>
        <translation>Die Vorhersage %1 des Projekts fehlt: ohne sie geöffnet.</translation>
    </message>
    <message>
        <source>The labels and the trained model of %1 are not saved. Save the project? (The model is kept in a folder next to the project file.)</source>
        <translation>Die Labels und das trainierte Modell von %1 sind nicht gespeichert. Projekt speichern? (Das Modell wird in einem Ordner neben der Projektdatei abgelegt.)</translation>
    </message>
    <message>
        <source>The model trained on %1 is not saved with the project. Save the project? (The model is kept in a folder next to the project file.)</source>
        <translation>Das auf %1 trainierte Modell ist nicht mit dem Projekt gespeichert. Projekt speichern? (Das Modell wird in einem Ordner neben der Projektdatei abgelegt.)</translation>
    </message>
    <message>
        <source>Project opened without some of its files</source>
        <translation>Projekt ohne einige seiner Dateien geöffnet</translation>
    </message>
    <message>
        <source>Saved %1; the model is kept in %2</source>
        <translation>%1 gespeichert; das Modell liegt in %2</translation>
    </message>
    <message>
        <source>Model not saved</source>
        <translation>Modell nicht gespeichert</translation>
    </message>
    <message>
        <source>The project was saved without its model: %1</source>
        <translation>Das Projekt wurde ohne sein Modell gespeichert: %1</translation>
    </message>
</context>
<context>
    <name>ui::ProjectExtras</name>
    <message>
        <source>The particle analysis was not restored: %1</source>
        <translation>Die Partikelanalyse wurde nicht wiederhergestellt: %1</translation>
    </message>
    <message>
        <source>The project&apos;s model %1 was not loaded (%2); the rest of the project is open. Train or load a model, then save the project.</source>
        <translation>Das Modell %1 des Projekts wurde nicht geladen (%2); der Rest des Projekts ist geöffnet. Trainieren oder laden Sie ein Modell und speichern Sie dann das Projekt.</translation>
    </message>
    <message>
        <source>The second time point %1 is missing: the project opened without it.</source>
        <translation>Der zweite Zeitpunkt %1 fehlt: das Projekt wurde ohne ihn geöffnet.</translation>
    </message>
    <message>
        <source>The second time point was not restored: %1</source>
        <translation>Der zweite Zeitpunkt wurde nicht wiederhergestellt: %1</translation>
    </message>
</context>
<context>
    <name>ui::PyramidOffer</name>
    <message>
        <source>Large volume</source>
        <translation>Großes Volumen</translation>
    </message>
    <message>
        <source>%1 is %2 (%3 GiB), more than the studio should hold in memory.

Build a multiscale pyramid (OME-Zarr) of it once? It is written to
%4
in the background, then the views read only what they show. Next time it opens at once.</source>
        <translation>%1 ist %2 (%3 GiB), mehr als das Studio im Speicher halten sollte.

Einmalig eine Auflösungspyramide (OME-Zarr) davon erstellen? Sie wird im Hintergrund nach
%4
geschrieben; danach lesen die Ansichten nur, was sie zeigen. Beim nächsten Mal öffnet sie sofort.</translation>
    </message>
    <message>
        <source>Build pyramid</source>
        <translation>Pyramide erstellen</translation>
    </message>
    <message>
        <source>Open in memory</source>
        <translation>Im Speicher öffnen</translation>
    </message>
    <message>
        <source>Cannot build the pyramid of %1: cannot write %2. The partial pyramid was removed.</source>
        <translation>Die Pyramide von %1 kann nicht erstellt werden: %2 kann nicht geschrieben werden. Die unvollständige Pyramide wurde entfernt.</translation>
    </message>
    <message>
        <source>Building the pyramid of %1 was cancelled; the partial pyramid was removed.</source>
        <translation>Das Erstellen der Pyramide von %1 wurde abgebrochen; die unvollständige Pyramide wurde entfernt.</translation>
    </message>
    <message>
        <source>Cannot build the pyramid of %1: %2
The partial pyramid was removed.</source>
        <translation>Die Pyramide von %1 kann nicht erstellt werden: %2
Die unvollständige Pyramide wurde entfernt.</translation>
    </message>
    <message>
        <source>Building a pyramid of %1</source>
        <translation>Pyramide von %1 wird erstellt</translation>
    </message>
</context>
<context>
    <name>ui::RawParamsDialog</name>
    <message>
        <source>Raw volume parameters</source>
        <translation>Parameter des Rohvolumens</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Size (voxels)</source>
        <translation>Größe (Voxel)</translation>
    </message>
    <message>
        <source>Voxel type</source>
        <translation>Voxeltyp</translation>
    </message>
    <message>
        <source>Little endian (PC)</source>
        <translation>Little Endian (PC)</translation>
    </message>
    <message>
        <source>Big endian</source>
        <translation>Big Endian</translation>
    </message>
    <message>
        <source>Byte order</source>
        <translation>Byte-Reihenfolge</translation>
    </message>
    <message>
        <source> bytes</source>
        <translation> Byte</translation>
    </message>
    <message>
        <source>Header to skip</source>
        <translation>Zu überspringender Header</translation>
    </message>
    <message>
        <source>Voxel size</source>
        <translation>Voxelgröße</translation>
    </message>
    <message>
        <source>Needs %1 bytes; the file has %2.</source>
        <translation>Benötigt %1 Byte; die Datei hat %2.</translation>
    </message>
    <message>
        <source> The rest of the file is ignored.</source>
        <translation> Der Rest der Datei wird ignoriert.</translation>
    </message>
    <message>
        <source> The file is too short for these parameters.</source>
        <translation> Die Datei ist für diese Parameter zu kurz.</translation>
    </message>
</context>
<context>
    <name>ui::SliceView</name>
    <message>
        <source>No volume
File › Open, drop a file here, or File › Open demo phantom</source>
        <translation>Kein Volumen
Datei › Öffnen, eine Datei hierher ziehen oder Datei › Demo-Phantom öffnen</translation>
    </message>
</context>
<context>
    <name>ui::SparseLabelLayer</name>
    <message>
        <source>Save &amp;labels of the lazy volume</source>
        <translation>&amp;Labels des verzögert geladenen Volumens speichern</translation>
    </message>
    <message>
        <source>Labels saved to %1: %2 chunk(s) written, %3 removed, %4 bytes</source>
        <translation>Labels gespeichert in %1: %2 Chunk(s) geschrieben, %3 entfernt, %4 Bytes</translation>
    </message>
    <message>
        <source>Cannot save the labels: %1</source>
        <translation>Labels können nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>Cannot read the labels: %1</source>
        <translation>Labels können nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Cannot open the labels: %1</source>
        <translation>Die Labels können nicht geöffnet werden: %1</translation>
    </message>
</context>
<context>
    <name>ui::StatisticsPanel</name>
    <message>
        <source>Analysing…</source>
        <translation>Wird analysiert…</translation>
    </message>
    <message numerus="yes">
        <source>%n particle(s); solid threshold %1 (%2)</source>
        <translation>
            <numerusform>%n Partikel; Feststoff-Schwellenwert %1 (%2)</numerusform>
            <numerusform>%n Partikel; Feststoff-Schwellenwert %1 (%2)</numerusform>
        </translation>
    </message>
    <message>
        <source>Analysis cancelled</source>
        <translation>Analyse abgebrochen</translation>
    </message>
    <message>
        <source>Analysis failed</source>
        <translation>Analyse fehlgeschlagen</translation>
    </message>
    <message>
        <source>Particle analysis</source>
        <translation>Partikelanalyse</translation>
    </message>
    <message numerus="yes">
        <source>%n particle(s); re-measured in %1 s</source>
        <translation>
            <numerusform>%n Partikel; in %1 s neu vermessen</numerusform>
            <numerusform>%n Partikel; in %1 s neu vermessen</numerusform>
        </translation>
    </message>
    <message>
        <source>Prediction (display threshold)</source>
        <translation>Vorhersage (Anzeigeschwellenwert)</translation>
    </message>
    <message>
        <source>Labels (crack class)</source>
        <translation>Labels (Klasse Riss)</translation>
    </message>
    <message>
        <source>No cracks</source>
        <translation>Keine Risse</translation>
    </message>
    <message>
        <source>Cracks</source>
        <translation>Risse</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Solid threshold</source>
        <translation>Feststoff-Schwellenwert</translation>
    </message>
    <message>
        <source> voxels</source>
        <translation> Voxel</translation>
    </message>
    <message>
        <source>Minimum volume</source>
        <translation>Mindestvolumen</translation>
    </message>
    <message>
        <source>Relative height a distance-map maximum needs to become its own particle; lower splits more</source>
        <translation>Relative Höhe, die ein Maximum der Distanzkarte braucht, um ein eigenes Partikel zu werden; niedriger teilt mehr</translation>
    </message>
    <message>
        <source>Split height</source>
        <translation>Teilungshöhe</translation>
    </message>
    <message>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <source>z</source>
        <translation>z</translation>
    </message>
    <message>
        <source>from first slice</source>
        <translation>ab der ersten Schicht</translation>
    </message>
    <message>
        <source>from last slice</source>
        <translation>ab der letzten Schicht</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>Tiefe</translation>
    </message>
    <message>
        <source> µm</source>
        <translation> µm</translation>
    </message>
    <message>
        <source>Depth bin width</source>
        <translation>Klassenbreite der Tiefe</translation>
    </message>
    <message>
        <source> × diameter</source>
        <translation> × Durchmesser</translation>
    </message>
    <message>
        <source>Packing radius</source>
        <translation>Packungsradius</translation>
    </message>
    <message>
        <source>Run analysis</source>
        <translation>Analyse starten</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>No analysis yet</source>
        <translation>Noch keine Analyse</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Outline of the selected</source>
        <translation>Umriss der ausgewählten</translation>
    </message>
    <message>
        <source>Colour all</source>
        <translation>Alle einfärben</translation>
    </message>
    <message>
        <source>In slices</source>
        <translation>In Schichten</translation>
    </message>
    <message>
        <source>3D colour by</source>
        <translation>3D-Färbung nach</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Zusammenführen</translation>
    </message>
    <message>
        <source>Merge the two selected particles into the first</source>
        <translation>Die zwei ausgewählten Partikel im ersten zusammenführen</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>Teilen</translation>
    </message>
    <message>
        <source>Cut the selected particle in two across its longest axis</source>
        <translation>Das ausgewählte Partikel quer zu seiner längsten Achse in zwei teilen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>Save labels…</source>
        <translation>Labels speichern…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Merge particles</source>
        <translation>Partikel zusammenführen</translation>
    </message>
    <message>
        <source>Select exactly two particles in the table (Ctrl+click) to merge them.</source>
        <translation>Genau zwei Partikel in der Tabelle auswählen (Strg+Klick), um sie zusammenzuführen.</translation>
    </message>
    <message>
        <source>Split particle</source>
        <translation>Partikel teilen</translation>
    </message>
    <message>
        <source>Select one particle in the table to split it.</source>
        <translation>Ein Partikel in der Tabelle auswählen, um es zu teilen.</translation>
    </message>
    <message>
        <source>Save particle labels</source>
        <translation>Partikel-Labels speichern</translation>
    </message>
    <message>
        <source>NRRD (*.nrrd *.nhdr);;All files (*)</source>
        <translation>NRRD (*.nrrd *.nhdr);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Saved particle labels to %1</source>
        <translation>Partikel-Labels in %1 gespeichert</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>Speichern nicht möglich</translation>
    </message>
    <message>
        <source>Cannot save %1:
%2</source>
        <translation>%1 kann nicht gespeichert werden:
%2</translation>
    </message>
    <message>
        <source>Export particle table</source>
        <translation>Partikeltabelle exportieren</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Exported %1 and %2</source>
        <translation>%1 und %2 exportiert</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>Export nicht möglich</translation>
    </message>
    <message>
        <source>Cannot write %1:
%2</source>
        <translation>%1 kann nicht geschrieben werden:
%2</translation>
    </message>
    <message>
        <source>Particle id (distinct colours)</source>
        <translation>Partikel-ID (unterschiedliche Farben)</translation>
    </message>
    <message>
        <source>Crack growth (A to B)</source>
        <translation>Risswachstum (A zu B)</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>Pieces of one particle are joined again where their contact is at least this many times as wide as the smaller piece; lower keeps touching particles together, 0 turns it off</source>
        <translation>Teile eines Partikels werden wieder vereint, wo ihr Kontakt mindestens so viele Male so breit ist wie das kleinere Teil; kleinere Werte lassen sich berührende Partikel zusammen, 0 schaltet es aus</translation>
    </message>
    <message>
        <source>Contact ratio</source>
        <translation>Kontaktverhältnis</translation>
    </message>
</context>
<context>
    <name>ui::StatisticsPlots</name>
    <message>
        <source>Histogram</source>
        <translation>Histogramm</translation>
    </message>
    <message>
        <source>Scatter</source>
        <translation>Streudiagramm</translation>
    </message>
    <message>
        <source>Depth profile</source>
        <translation>Tiefenprofil</translation>
    </message>
    <message>
        <source>bins </source>
        <translation>Klassen </translation>
    </message>
    <message>
        <source>Save plot…</source>
        <translation>Diagramm speichern…</translation>
    </message>
    <message>
        <source>x</source>
        <translation>x</translation>
    </message>
    <message>
        <source>y</source>
        <translation>y</translation>
    </message>
    <message>
        <source>Save plot</source>
        <translation>Diagramm speichern</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG-Bild (*.png);;SVG-Zeichnung (*.svg)</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>No particles: run the analysis</source>
        <translation>Keine Partikel: die Analyse starten</translation>
    </message>
    <message>
        <source>Particles</source>
        <translation>Partikel</translation>
    </message>
    <message>
        <source>Histogram of %1</source>
        <translation>Histogramm von %1</translation>
    </message>
    <message>
        <source>%1 against %2</source>
        <translation>%1 gegen %2</translation>
    </message>
    <message>
        <source>No depth profile</source>
        <translation>Kein Tiefenprofil</translation>
    </message>
    <message>
        <source>Depth (µm)</source>
        <translation>Tiefe (µm)</translation>
    </message>
    <message>
        <source>Crack volume fraction</source>
        <translation>Rissvolumenanteil</translation>
    </message>
    <message>
        <source>Damage against depth (bins of %1 µm)</source>
        <translation>Schädigung über der Tiefe (Klassen zu %1 µm)</translation>
    </message>
</context>
<context>
    <name>ui::TimePointPairView</name>
    <message>
        <source>Scans A and B side by side</source>
        <translation>Scans A und B nebeneinander</translation>
    </message>
    <message>
        <source>A: %1</source>
        <translation>A: %1</translation>
    </message>
    <message>
        <source>View</source>
        <translation>Ansicht</translation>
    </message>
    <message>
        <source>B on A&apos;s grid: %1</source>
        <translation>B auf dem Gitter von A: %1</translation>
    </message>
    <message>
        <source>B: no second time point</source>
        <translation>B: kein zweiter Zeitpunkt</translation>
    </message>
    <message>
        <source>Cursor: A (%1, %2, %3)</source>
        <translation>Cursor: A (%1, %2, %3)</translation>
    </message>
    <message>
        <source>  |  B (%1, %2, %3) in its own grid</source>
        <translation>  |  B (%1, %2, %3) im eigenen Gitter</translation>
    </message>
</context>
<context>
    <name>ui::ToolsPanel</name>
    <message>
        <source>Tool</source>
        <translation>Werkzeug</translation>
    </message>
    <message>
        <source>Painting</source>
        <translation>Malen</translation>
    </message>
    <message>
        <source>Crack</source>
        <translation>Riss</translation>
    </message>
    <message>
        <source>Not crack</source>
        <translation>Kein Riss</translation>
    </message>
    <message>
        <source>The class brush, 3D brush, polygon and flood fill write</source>
        <translation>Die Klasse, die Pinsel, 3D-Pinsel, Polygon und Flächenfüllung schreiben</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source> voxels</source>
        <translation> Voxel</translation>
    </message>
    <message>
        <source>Brush diameter ([ and ] change it)</source>
        <translation>Pinseldurchmesser ([ und ] ändern ihn)</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>Alles</translation>
    </message>
    <message>
        <source>Only unlabelled</source>
        <translation>Nur ohne Label</translation>
    </message>
    <message>
        <source>Only not crack</source>
        <translation>Nur kein Riss</translation>
    </message>
    <message>
        <source>Only crack</source>
        <translation>Nur Riss</translation>
    </message>
    <message>
        <source>Which voxels the tools may overwrite</source>
        <translation>Welche Voxel die Werkzeuge überschreiben dürfen</translation>
    </message>
    <message>
        <source>Paint over</source>
        <translation>Übermalen</translation>
    </message>
    <message>
        <source>Only intensities in</source>
        <translation>Nur Intensitäten in</translation>
    </message>
    <message>
        <source>Threshold-limited painting: only voxels whose grey value lies in the range</source>
        <translation>Schwellenwertbegrenztes Malen: nur Voxel, deren Grauwert im Bereich liegt</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>Bereich</translation>
    </message>
    <message>
        <source>Flood fill takes connected voxels within this many grey values of the clicked one</source>
        <translation>Die Flächenfüllung nimmt zusammenhängende Voxel, deren Grauwert höchstens so weit vom angeklickten abweicht</translation>
    </message>
    <message>
        <source>Flood tolerance</source>
        <translation>Fülltoleranz</translation>
    </message>
    <message>
        <source>Slices</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Vorhersage</translation>
    </message>
</context>
<context>
    <name>ui::TrainingCharts</name>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>training (per step)</source>
        <translation>Training (pro Schritt)</translation>
    </message>
    <message>
        <source>validation (per epoch)</source>
        <translation>Validierung (pro Epoche)</translation>
    </message>
    <message>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Validation Dice</source>
        <translation>Validierungs-Dice</translation>
    </message>
    <message>
        <source>Dice (per epoch)</source>
        <translation>Dice (pro Epoche)</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>Epoche</translation>
    </message>
</context>
<context>
    <name>ui::TrainingController</name>
    <message>
        <source>CUDA: GPU 0, as requested</source>
        <translation>CUDA: GPU 0, wie gewünscht</translation>
    </message>
    <message>
        <source>CUDA was requested, but this build&apos;s LibTorch or this machine has no CUDA GPU: training will fail</source>
        <translation>CUDA wurde gewünscht, aber die LibTorch dieses Builds oder dieser Rechner hat keine CUDA-GPU: das Training wird fehlschlagen</translation>
    </message>
    <message numerus="yes">
        <source>CPU (%n thread(s), one core left for the window), as requested</source>
        <translation>
            <numerusform>CPU (%n Thread, ein Kern bleibt für das Fenster frei), wie gewünscht</numerusform>
            <numerusform>CPU (%n Threads, ein Kern bleibt für das Fenster frei), wie gewünscht</numerusform>
        </translation>
    </message>
    <message>
        <source>CUDA: GPU 0 (Auto picks the GPU when there is one)</source>
        <translation>CUDA: GPU 0 (Automatisch wählt die GPU, wenn es eine gibt)</translation>
    </message>
    <message numerus="yes">
        <source>CPU (%n thread(s), one core left for the window): this build&apos;s LibTorch or this machine has no CUDA GPU</source>
        <translation>
            <numerusform>CPU (%n Thread, ein Kern bleibt für das Fenster frei): die LibTorch dieses Builds oder dieser Rechner hat keine CUDA-GPU</numerusform>
            <numerusform>CPU (%n Threads, ein Kern bleibt für das Fenster frei): die LibTorch dieses Builds oder dieser Rechner hat keine CUDA-GPU</numerusform>
        </translation>
    </message>
    <message>
        <source>A training is already running.</source>
        <translation>Es läuft bereits ein Training.</translation>
    </message>
    <message>
        <source>Open a volume and label some slices first.</source>
        <translation>Zuerst ein Volumen öffnen und einige Schichten labeln.</translation>
    </message>
    <message>
        <source>No labelled voxel: paint crack and not-crack labels on some slices (or mark slices fully annotated) before training.</source>
        <translation>Kein gelabeltes Voxel: vor dem Training auf einigen Schichten Riss- und Kein-Riss-Labels malen (oder Schichten als vollständig annotiert markieren).</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>Wird gestartet</translation>
    </message>
    <message>
        <source>Stopping after the current batch...</source>
        <translation>Wird nach dem aktuellen Batch angehalten…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>Stopped before the first epoch ended: no checkpoint was written.</source>
        <translation>Vor dem Ende der ersten Epoche angehalten: es wurde kein Checkpoint geschrieben.</translation>
    </message>
    <message>
        <source>Stopped; kept %1</source>
        <translation>Angehalten; %1 behalten</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>CUDA was requested, but the GPU fails to start (%1): training will fail</source>
        <translation>CUDA wurde angefordert, aber die GPU startet nicht (%1): das Training wird fehlschlagen</translation>
    </message>
    <message numerus="yes">
        <source>CPU (%n thread(s), one core left for the window): the GPU fails to start (%1)</source>
        <translation>
            <numerusform>CPU (%n Thread, ein Kern bleibt für das Fenster): die GPU startet nicht (%1)</numerusform>
            <numerusform>CPU (%n Threads, ein Kern bleibt für das Fenster): die GPU startet nicht (%1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This volume has %n slice(s), too few for a 2.5D model that sees %1 neighbour slice(s) above and below: it needs at least %2. Set &quot;Neighbour slices (2.5D)&quot; to 0 to train a 2D model.</source>
        <translation>
            <numerusform>Dieses Volumen hat %n Schicht, zu wenige für ein 2,5D-Modell, das %1 Nachbarschicht(en) darüber und darunter sieht: es braucht mindestens %2. „Nachbarschichten (2,5D)“ auf 0 setzen, um ein 2D-Modell zu trainieren.</numerusform>
            <numerusform>Dieses Volumen hat %n Schichten, zu wenige für ein 2,5D-Modell, das %1 Nachbarschicht(en) darüber und darunter sieht: es braucht mindestens %2. „Nachbarschichten (2,5D)“ auf 0 setzen, um ein 2D-Modell zu trainieren.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This volume has %n slice(s), too few for the model to fine-tune, a 2.5D model that sees %1 neighbour slice(s) above and below: it needs at least %2. Train a 2D model from scratch instead.</source>
        <translation>
            <numerusform>Dieses Volumen hat %n Schicht, zu wenige für das feinabzustimmende Modell, ein 2,5D-Modell, das %1 Nachbarschicht(en) darüber und darunter sieht: es braucht mindestens %2. Stattdessen ein 2D-Modell von Grund auf trainieren.</numerusform>
            <numerusform>Dieses Volumen hat %n Schichten, zu wenige für das feinabzustimmende Modell, ein 2,5D-Modell, das %1 Nachbarschicht(en) darüber und darunter sieht: es braucht mindestens %2. Stattdessen ein 2D-Modell von Grund auf trainieren.</numerusform>
        </translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Training</translation>
    </message>
</context>
<context>
    <name>ui::TrainingDock</name>
    <message>
        <source>Train and predict</source>
        <translation>Trainieren und vorhersagen</translation>
    </message>
    <message>
        <source>Training settings</source>
        <translation>Trainingseinstellungen</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>Kurven</translation>
    </message>
</context>
<context>
    <name>ui::TrainingPanel</name>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Train from scratch</source>
        <translation>Neu trainieren</translation>
    </message>
    <message>
        <source>Fine-tune current model</source>
        <translation>Aktuelles Modell nachtrainieren</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Stops after the current batch and keeps the last good checkpoint</source>
        <translation>Hält nach dem aktuellen Batch an und behält den letzten guten Checkpoint</translation>
    </message>
    <message>
        <source>Not running</source>
        <translation>Läuft nicht</translation>
    </message>
    <message>
        <source>Fine-tuning needs a CDNet checkpoint as the current model (train one or load one); an imported TorchScript model cannot be fine-tuned.</source>
        <translation>Nachtrainieren braucht einen CDNet-Checkpoint als aktuelles Modell (einen trainieren oder laden); ein importiertes TorchScript-Modell lässt sich nicht nachtrainieren.</translation>
    </message>
    <message>
        <source>Epoch %1: training loss %2 (no validation slices)</source>
        <translation>Epoche %1: Trainingsverlust %2 (keine Validierungsschichten)</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Share of the labelled slices (the last ones) held out for validation</source>
        <translation>Anteil der gelabelten Schichten (die letzten), der für die Validierung zurückgehalten wird</translation>
    </message>
    <message>
        <source>Validation split</source>
        <translation>Validierungsanteil</translation>
    </message>
    <message>
        <source>Paper (base width 64)</source>
        <translation>Wie im Artikel (Basisbreite 64)</translation>
    </message>
    <message>
        <source>Medium (32)</source>
        <translation>Mittel (32)</translation>
    </message>
    <message>
        <source>Small (16)</source>
        <translation>Klein (16)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Netz</translation>
    </message>
    <message>
        <source>until the time budget</source>
        <translation>bis zum Zeitbudget</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>no budget</source>
        <translation>kein Budget</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <source>Time budget</source>
        <translation>Zeitbudget</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>Batchgröße</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Side of the random training crops (a multiple of 32, at most the slice)</source>
        <translation>Seitenlänge der zufälligen Trainingsausschnitte (ein Vielfaches von 32, höchstens die Schicht)</translation>
    </message>
    <message>
        <source>Crop</source>
        <translation>Ausschnitt</translation>
    </message>
    <message>
        <source>auto (cover the slices once)</source>
        <translation>automatisch (Schichten einmal abdecken)</translation>
    </message>
    <message>
        <source>Optimiser steps per epoch; validation and checkpoints follow each epoch</source>
        <translation>Optimierungsschritte pro Epoche; Validierung und Checkpoints folgen jeder Epoche</translation>
    </message>
    <message>
        <source>Steps per epoch</source>
        <translation>Schritte pro Epoche</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>No labelled slice yet: label cracks and background on a few slices, or mark slices fully annotated.</source>
        <translation>Noch keine gelabelte Schicht: auf einigen Schichten Risse und Hintergrund labeln oder Schichten als vollständig annotiert markieren.</translation>
    </message>
    <message>
        <source>Slices that will train: %1 fully annotated, %2 partially labelled (%3 of them held out for validation).</source>
        <translation>Schichten für das Training: %1 vollständig annotiert, %2 teilweise gelabelt (davon %3 für die Validierung zurückgehalten).</translation>
    </message>
    <message>
        <source>%1 — elapsed %2, about %3 left</source>
        <translation>%1 — vergangen %2, noch etwa %3</translation>
    </message>
    <message>
        <source>%1 — took %2</source>
        <translation>%1 — Dauer %2</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>Training fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Fine-tune the starter model</source>
        <translation>Startmodell feinabstimmen</translation>
    </message>
    <message>
        <source>No model is loaded: training starts from the starter model that ships with CDNet Studio (pretrained on phantoms), which learns faster than from scratch</source>
        <translation>Kein Modell geladen: Das Training beginnt mit dem mitgelieferten Startmodell von CDNet Studio (auf Phantomen vortrainiert), das schneller lernt als ein Training von Grund auf</translation>
    </message>
    <message numerus="yes">
        <source>Epoch %1: training loss %2, validation loss %3, Dice %4 on %5 labelled voxels (%6 crack) of %n validation slice(s)</source>
        <translation>
            <numerusform>Epoche %1: Trainingsverlust %2, Validierungsverlust %3, Dice %4 auf %5 gelabelten Voxeln (%6 Riss) von %n Validierungsschicht</numerusform>
            <numerusform>Epoche %1: Trainingsverlust %2, Validierungsverlust %3, Dice %4 auf %5 gelabelten Voxeln (%6 Riss) von %n Validierungsschichten</numerusform>
        </translation>
    </message>
    <message>
        <source>The paper&apos;s network (64) wants a GPU; on a CPU the small one (16) trains about 16 times faster. The default follows this machine.</source>
        <translation>Das Netz aus dem Paper (64) braucht eine GPU; auf einer CPU trainiert das kleine (16) etwa 16-mal schneller. Die Voreinstellung richtet sich nach diesem Rechner.</translation>
    </message>
    <message>
        <source>0 (2D)</source>
        <translation>0 (2D)</translation>
    </message>
    <message>
        <source>2.5D input: the model sees K slices above and below the slice it segments (2K+1 input channels); 0 = 2D. Needs a volume of at least 2K+1 slices. Applies to a new model: fine-tuning keeps the model&apos;s own.</source>
        <translation>2,5D-Eingabe: Das Modell sieht K Schichten über und unter der segmentierten Schicht (2K+1 Eingangskanäle); 0 = 2D. Braucht ein Volumen mit mindestens 2K+1 Schichten. Gilt für ein neues Modell: Feinabstimmung behält die des Modells.</translation>
    </message>
    <message>
        <source>Neighbour slices (2.5D)</source>
        <translation>Nachbarschichten (2,5D)</translation>
    </message>
    <message>
        <source>BCE (the paper&apos;s)</source>
        <translation>BCE (wie im Paper)</translation>
    </message>
    <message>
        <source>BCE + soft Dice</source>
        <translation>BCE + weicher Dice</translation>
    </message>
    <message>
        <source>BCE + soft clDice (experimental)</source>
        <translation>BCE + weicher clDice (experimentell)</translation>
    </message>
    <message>
        <source>Loss over labelled voxels: binary cross-entropy, optionally plus soft Dice or soft centreline Dice (clDice), which weigh thin cracks more</source>
        <translation>Verlust über markierte Voxel: binäre Kreuzentropie, optional plus weicher Dice oder weicher Mittellinien-Dice (clDice), die dünne Risse stärker gewichten</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>Konstant</translation>
    </message>
    <message>
        <source>Cosine (warm-up, then down to 1/100)</source>
        <translation>Kosinus (Aufwärmen, dann bis auf 1/100)</translation>
    </message>
    <message>
        <source>Cosine: a short warm-up, then the learning rate falls to 1/100 over the epochs or the time budget</source>
        <translation>Kosinus: kurzes Aufwärmen, dann fällt die Lernrate über die Epochen oder das Zeitbudget auf 1/100</translation>
    </message>
    <message>
        <source>Learning-rate schedule</source>
        <translation>Lernraten-Verlauf</translation>
    </message>
    <message>
        <source>An imported TorchScript model cannot be fine-tuned: train from scratch, or load a CDNet checkpoint</source>
        <translation>Ein importiertes TorchScript-Modell lässt sich nicht feinabstimmen: von Grund auf trainieren oder einen CDNet-Checkpoint laden</translation>
    </message>
    <message>
        <source>The current model is 2.5D (%1 neighbour slice(s) above and below) and needs at least %2 slices; this volume has %3. Fine-tuning keeps the model&apos;s network: train from scratch with &quot;Neighbour slices (2.5D)&quot; at 0 instead.</source>
        <translation>Das aktuelle Modell ist 2,5D (%1 Nachbarschicht(en) darüber und darunter) und braucht mindestens %2 Schichten; dieses Volumen hat %3. Feinabstimmung behält das Netz des Modells: stattdessen von Grund auf mit „Nachbarschichten (2,5D)“ auf 0 trainieren.</translation>
    </message>
    <message>
        <source>Starts from the current model&apos;s weights and keeps its network (base width %1, %2 neighbour slice(s) above and below): the Network and Neighbour slices settings apply to training from scratch only</source>
        <translation>Beginnt mit den Gewichten des aktuellen Modells und behält sein Netz (Basisbreite %1, %2 Nachbarschicht(en) darüber und darunter): Netz und Nachbarschichten gelten nur für das Training von Grund auf</translation>
    </message>
    <message>
        <source>Augmentations (rotation, shear, zoom, flips)</source>
        <translation>Augmentierung (Drehung, Scherung, Zoom, Spiegelung)</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>Auto (bf16 where the processor has it)</source>
        <translation>Auto (bf16, wo der Prozessor es kann)</translation>
    </message>
    <message>
        <source>bf16</source>
        <translation>bf16</translation>
    </message>
    <message>
        <source>Arithmetic of the training steps on a CPU. bf16 (weights and optimiser stay fp32) runs faster where the processor computes it natively (AVX512_BF16 or AMX; this one: %1) and is refused elsewhere; Auto picks it where available. A GPU keeps its own mixed precision.</source>
        <translation>Rechenweise der Trainingsschritte auf der CPU. bf16 (Gewichte und Optimierer bleiben fp32) läuft schneller, wo der Prozessor es nativ rechnet (AVX512_BF16 oder AMX; dieser: %1), und wird sonst abgelehnt; Auto wählt es, wo vorhanden. Eine GPU behält ihre eigene gemischte Genauigkeit.</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Genauigkeit</translation>
    </message>
</context>
<context>
    <name>ui::UnsavedLabels</name>
    <message>
        <source>Unsaved labels</source>
        <translation>Ungespeicherte Labels</translation>
    </message>
    <message>
        <source>The labels of %1 have unsaved changes. Save them?</source>
        <translation>Die Labels von %1 haben ungespeicherte Änderungen. Speichern?</translation>
    </message>
    <message>
        <source>Saving writes only the chunks you painted to %1.</source>
        <translation>Beim Speichern werden nur die bemalten Chunks nach %1 geschrieben.</translation>
    </message>
    <message>
        <source>Cannot save the labels: %1</source>
        <translation>Die Labels können nicht gespeichert werden: %1</translation>
    </message>
</context>
<context>
    <name>ui::ViewFrame</name>
    <message>
        <source>Reset the camera</source>
        <translation>Kamera zurücksetzen</translation>
    </message>
    <message>
        <source>Slice</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Reset the view (R)</source>
        <translation>Ansicht zurücksetzen (R)</translation>
    </message>
    <message>
        <source>Maximise this view (double-click the view)</source>
        <translation>Diese Ansicht maximieren (Doppelklick in die Ansicht)</translation>
    </message>
    <message>
        <source>Restore the four views</source>
        <translation>Die vier Ansichten wiederherstellen</translation>
    </message>
</context>
<context>
    <name>ui::VolumeView3D</name>
    <message>
        <source>Crack surface</source>
        <translation>Rissoberfläche</translation>
    </message>
    <message>
        <source>Reading a coarse level for the 3D view</source>
        <translation>Grobe Auflösungsstufe für die 3D-Ansicht lesen</translation>
    </message>
</context>
<context>
    <name>ui::VoxelStatus</name>
    <message>
        <source>unlabelled</source>
        <translation>ohne Label</translation>
    </message>
    <message>
        <source>not crack</source>
        <translation>kein Riss</translation>
    </message>
    <message>
        <source>crack</source>
        <translation>Riss</translation>
    </message>
    <message>
        <source>label %1</source>
        <translation>Label %1</translation>
    </message>
    <message>
        <source>value %1</source>
        <translation>Wert %1</translation>
    </message>
    <message>
        <source>prediction %1</source>
        <translation>Vorhersage %1</translation>
    </message>
</context>
</TS>
