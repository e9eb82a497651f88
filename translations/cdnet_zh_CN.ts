<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>main</name>
    <message>
        <source>CDNet Studio: crack detection in X-ray nano-tomography of battery cathodes.</source>
        <translation>CDNet Studio：电池正极 X 射线纳米断层扫描中的裂纹检测。</translation>
    </message>
    <message>
        <source>Open the built-in demo phantom; its ground-truth cracks show as the prediction.</source>
        <translation>打开内置演示体模；其真实裂纹显示为预测结果。</translation>
    </message>
    <message>
        <source>Open, render every view, save the window as a PNG FILE and exit.</source>
        <translation>打开、渲染所有视图、将窗口保存为 PNG 文件 FILE 并退出。</translation>
    </message>
    <message>
        <source>FILE</source>
        <translation>FILE</translation>
    </message>
    <message>
        <source>Cube edges for --bench-views (default 512,1024).</source>
        <translation>--bench-views 使用的立方体边长（默认 512,1024）。</translation>
    </message>
    <message>
        <source>Language of the window: de, zh_CN or en (default: the system&apos;s).</source>
        <translation>窗口语言：de、zh_CN 或 en（默认：跟随系统）。</translation>
    </message>
    <message>
        <source>LANGUAGE</source>
        <translation>LANGUAGE</translation>
    </message>
    <message>
        <source>A volume file or a folder of TIFF slices to open.</source>
        <translation>要打开的体数据文件或 TIFF 切片文件夹。</translation>
    </message>
    <message>
        <source>Cube edge for --bench-edit (default 1024).</source>
        <translation>--bench-edit 使用的立方体边长（默认 1024）。</translation>
    </message>
    <message>
        <source>Measure the window&apos;s event-loop latency idle and while a small training runs on the CPU, then exit.</source>
        <translation>测量窗口事件循环在空闲时以及在 CPU 上运行小规模训练时的延迟，然后退出。</translation>
    </message>
    <message>
        <source>Train a small model on a phantom from the Train &amp; predict dock, save the window as a PNG FILE and exit.</source>
        <translation>在“训练和预测”面板中用体模训练一个小模型，将窗口保存为 PNG 文件 FILE 并退出。</translation>
    </message>
    <message>
        <source>Run the particle analysis of a phantom from the Statistics panel, save the window as a PNG FILE and exit.</source>
        <translation>在“统计”面板中对体模进行颗粒分析，将窗口保存为 PNG 文件 FILE 并退出。</translation>
    </message>
    <message>
        <source>Time slice changes on the phantom against the 16.7 ms frame budget and unchanged frames, measure memory, then exit.</source>
        <translation>在体模上测量切片切换耗时（对比 16.7 毫秒帧预算和未变化的帧），测量内存，然后退出。</translation>
    </message>
    <message>
        <source>Time brush dabs on a 1024^3 phantom against the 16.7 ms frame budget and unchanged frames, print undo memory, then exit.</source>
        <translation>在 1024^3 体模上测量画笔点按耗时（对比 16.7 毫秒帧预算和未变化的帧），输出撤销所需内存，然后退出。</translation>
    </message>
    <message>
        <source>With --bench-views, --bench-edit or --bench-latency: also write the final &apos;result:&apos; line&apos;s keys to this JSON FILE.</source>
        <translation>与 --bench-views、--bench-edit 或 --bench-latency 一起使用：同时将最后一行“result:”的键值写入此 JSON 文件 FILE。</translation>
    </message>
    <message>
        <source>Bring this panel to the front: display, tools, training or statistics (screenshots of each panel).</source>
        <translation>将此面板置于前台：display、tools、training 或 statistics（用于各面板的截图）。</translation>
    </message>
    <message>
        <source>PANEL</source>
        <translation>面板</translation>
    </message>
</context>
<context>
    <name>ui::AboutText</name>
    <message>
        <source>&lt;b&gt;CDNet Studio %1&lt;/b&gt;&lt;p&gt;Crack detection and analysis in X-ray nano-tomography of lithium-ion battery cathodes.&lt;/p&gt;</source>
        <translation>&lt;b&gt;CDNet Studio %1&lt;/b&gt;&lt;p&gt;锂离子电池正极 X 射线纳米断层扫描中的裂纹检测与分析。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>CUDA: in use (GPUs found: %1); training and prediction run on the GPU.</source>
        <translation>CUDA：已启用（找到 %1 个 GPU）；训练和预测在 GPU 上运行。</translation>
    </message>
    <message>
        <source>CUDA: not in use (LibTorch supports CUDA, but no GPU was found); training and prediction run on the CPU.</source>
        <translation>CUDA：未启用（LibTorch 支持 CUDA，但未找到 GPU）；训练和预测在 CPU 上运行。</translation>
    </message>
    <message>
        <source>CUDA: not in use (this LibTorch is built for the CPU only); training and prediction run on the CPU.</source>
        <translation>CUDA：未启用（此 LibTorch 仅为 CPU 构建）；训练和预测在 CPU 上运行。</translation>
    </message>
    <message>
        <source>Libraries:</source>
        <translation>库：</translation>
    </message>
    <message>
        <source>About CDNet Studio</source>
        <translation>关于 CDNet Studio</translation>
    </message>
    <message>
        <source>CUDA: not in use (GPUs found: %1, but CUDA fails to start: %2); training and prediction run on the CPU.</source>
        <translation>CUDA：未使用（找到 %1 个 GPU，但 CUDA 无法启动：%2）；训练和预测在 CPU 上运行。</translation>
    </message>
    <message>
        <source>License: MIT. Third-party notices: THIRD-PARTY-NOTICES (installed in /usr/share/doc/cdnet-studio).</source>
        <translation>许可证：MIT。第三方声明：THIRD-PARTY-NOTICES（安装在 /usr/share/doc/cdnet-studio）。</translation>
    </message>
</context>
<context>
    <name>ui::AnalysisController</name>
    <message>
        <source>Open a volume first.</source>
        <translation>请先打开体数据。</translation>
    </message>
    <message>
        <source>Cannot start the analysis now: %1 is still running.</source>
        <translation>现在无法开始分析：%1 仍在运行。</translation>
    </message>
    <message>
        <source>There is no prediction layer: run a prediction or choose the labels as the crack source.</source>
        <translation>没有预测图层：请运行预测，或选择标注作为裂纹来源。</translation>
    </message>
    <message>
        <source>Cannot make the crack mask: %1</source>
        <translation>无法生成裂纹掩膜：%1</translation>
    </message>
    <message>
        <source>Particle analysis</source>
        <translation>颗粒分析</translation>
    </message>
    <message>
        <source>Cannot start the analysis now: another job is running.</source>
        <translation>现在无法开始分析：另一项任务正在运行。</translation>
    </message>
    <message>
        <source>The analysis failed: %1</source>
        <translation>分析失败：%1</translation>
    </message>
</context>
<context>
    <name>ui::CacheBudgetDialog</name>
    <message>
        <source>Memory for big volumes</source>
        <translation>大体数据的内存</translation>
    </message>
    <message>
        <source>Volumes opened lazily keep the blocks they show in a cache of this size; the least recently shown blocks leave it first.</source>
        <translation>延迟打开的体数据将所显示的块保存在此大小的缓存中；最久未显示的块最先移出。</translation>
    </message>
    <message>
        <source> MiB</source>
        <translation> MiB</translation>
    </message>
    <message>
        <source>Chunk cache budget</source>
        <translation>分块缓存预算</translation>
    </message>
    <message>
        <source>In use now: %1 MiB in %2 blocks. This machine: %3 MiB of memory; default budget %4 MiB.</source>
        <translation>当前占用：%2 个块共 %1 MiB。本机：内存 %3 MiB；默认预算 %4 MiB。</translation>
    </message>
</context>
<context>
    <name>ui::DisplayPanel</name>
    <message>
        <source>Image window</source>
        <translation>图像窗宽窗位</translation>
    </message>
    <message>
        <source>Minimum to maximum</source>
        <translation>最小值到最大值</translation>
    </message>
    <message>
        <source>Whole type range</source>
        <translation>数据类型的完整范围</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Black at</source>
        <translation>黑色对应</translation>
    </message>
    <message>
        <source>White at</source>
        <translation>白色对应</translation>
    </message>
    <message>
        <source>Shift + drag in a view: window (↔) and level (↕)</source>
        <translation>在视图中 Shift + 拖动：窗宽（↔）和窗位（↕）</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>标注</translation>
    </message>
    <message>
        <source>Show labels</source>
        <translation>显示标注</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <source>crack</source>
        <translation>裂纹</translation>
    </message>
    <message>
        <source>not crack</source>
        <translation>非裂纹</translation>
    </message>
    <message>
        <source>Change the colour of this label</source>
        <translation>更改此标注的颜色</translation>
    </message>
    <message>
        <source>Label colour</source>
        <translation>标注颜色</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Show prediction</source>
        <translation>显示预测</translation>
    </message>
    <message>
        <source>Colour map</source>
        <translation>颜色映射</translation>
    </message>
    <message>
        <source>Outline</source>
        <translation>轮廓</translation>
    </message>
    <message>
        <source>Style</source>
        <translation>样式</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <source>3D view</source>
        <translation>三维视图</translation>
    </message>
    <message>
        <source>Volume rendering</source>
        <translation>体绘制</translation>
    </message>
    <message>
        <source>Bright phase</source>
        <translation>亮相</translation>
    </message>
    <message>
        <source>Linear ramp</source>
        <translation>线性斜坡</translation>
    </message>
    <message>
        <source>Maximum intensity</source>
        <translation>最大强度投影</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>传递函数</translation>
    </message>
    <message>
        <source>Crack labels</source>
        <translation>裂纹标注</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Crack surface</source>
        <translation>裂纹表面</translation>
    </message>
    <message>
        <source>Slice planes</source>
        <translation>切片平面</translation>
    </message>
    <message>
        <source>Auto (0.5–99.5 %)</source>
        <translation>自动（0.5–99.5 %）</translation>
    </message>
    <message>
        <source>Auto wide (0.05–99.95 %)</source>
        <translation>自动宽范围（0.05–99.95 %）</translation>
    </message>
</context>
<context>
    <name>ui::EvolutionController</name>
    <message>
        <source>Open scan A (the first time point) first.</source>
        <translation>请先打开扫描 A（第一时间点）。</translation>
    </message>
    <message>
        <source>Choose the image of scan B (the second time point).</source>
        <translation>请选择扫描 B（第二时间点）的图像。</translation>
    </message>
    <message>
        <source>Cannot open the second time point now: %1 is still running.</source>
        <translation>现在无法打开第二时间点：%1 仍在运行。</translation>
    </message>
    <message>
        <source>No crack volume for scan B (&apos;%1&apos;): choose one under &quot;Cracks of B&quot;, or set the crack source to none for both time points.</source>
        <translation>扫描 B（“%1”）没有裂纹体积：请在“B 的裂纹”中选择，或将两个时间点的裂纹来源都设为“无”。</translation>
    </message>
    <message>
        <source>No crack volume for scan A (&apos;%1&apos;): set the crack source to the labels or the prediction, or clear &quot;Cracks of B&quot;.</source>
        <translation>扫描 A（“%1”）没有裂纹体积：请将裂纹来源设为标签或预测，或清空“B 的裂纹”。</translation>
    </message>
    <message>
        <source>Cannot make the crack mask of scan A: %1</source>
        <translation>无法生成扫描 A 的裂纹掩膜：%1</translation>
    </message>
    <message>
        <source>Second time point</source>
        <translation>第二时间点</translation>
    </message>
    <message>
        <source>Cannot open the second time point now: another job is running.</source>
        <translation>现在无法打开第二时间点：另一个任务正在运行。</translation>
    </message>
    <message>
        <source>The second time point failed: %1</source>
        <translation>第二时间点失败：%1</translation>
    </message>
</context>
<context>
    <name>ui::EvolutionPanel</name>
    <message>
        <source>Volumes (*.tif *.tiff *.nrrd *.nhdr *.mha *.mhd *.nii *.nii.gz *.vol *.raw *.bin *.h5 *.hdf5 *.png);;All files (*)</source>
        <translation>体数据 (*.tif *.tiff *.nrrd *.nhdr *.mha *.mhd *.nii *.nii.gz *.vol *.raw *.bin *.h5 *.hdf5 *.png);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open second time point…</source>
        <translation>打开第二时间点…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export evolution CSV…</source>
        <translation>导出演化 CSV…</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Crack volume of scan B (mask, labels or probability); needed when A&apos;s crack source is not none</source>
        <translation>扫描 B 的裂纹体积（掩膜、标签或概率）；当 A 的裂纹来源不是“无”时需要</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>No second time point</source>
        <translation>无第二时间点</translation>
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
        <translation>在切片视图中显示重采样到 A 网格的扫描 B（Ctrl+T 切换）</translation>
    </message>
    <message>
        <source>Cracks of B</source>
        <translation>B 的裂纹</translation>
    </message>
    <message>
        <source>Time point</source>
        <translation>时间点</translation>
    </message>
    <message>
        <source>&lt;b&gt;Second time point&lt;/b&gt;</source>
        <translation>&lt;b&gt;第二时间点&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Crack volume of scan B</source>
        <translation>扫描 B 的裂纹体积</translation>
    </message>
    <message>
        <source>Second time point cancelled</source>
        <translation>第二时间点已取消</translation>
    </message>
    <message>
        <source>Second time point</source>
        <translation>第二时间点</translation>
    </message>
    <message>
        <source>Open second time point (scan B)</source>
        <translation>打开第二时间点（扫描 B）</translation>
    </message>
    <message>
        <source>Export evolution CSV</source>
        <translation>导出演化 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>无法导出</translation>
    </message>
    <message>
        <source>Cannot write %1:
%2</source>
        <translation>无法写入 %1：
%2</translation>
    </message>
    <message>
        <source>B: %1
%2
%3 of %4 particles of A matched, %5 fractured, %6 lost, %7 outside B</source>
        <translation>B：%1
%2
A 的 %4 个颗粒中匹配 %3 个，%5 个断裂，%6 个丢失，%7 个在 B 之外</translation>
    </message>
    <message>
        <source>Damage in A and B: open a second time point</source>
        <translation>A 与 B 的损伤：请打开第二时间点</translation>
    </message>
    <message>
        <source>Growth against depth: open a second time point</source>
        <translation>增长随深度：请打开第二时间点</translation>
    </message>
    <message>
        <source>Crack fraction in A</source>
        <translation>A 中的裂纹比例</translation>
    </message>
    <message>
        <source>In B</source>
        <translation>B 中</translation>
    </message>
    <message>
        <source>Damage per matched particle: B against A</source>
        <translation>每个匹配颗粒的损伤：B 对 A</translation>
    </message>
    <message>
        <source>Depth (µm)</source>
        <translation>深度 (µm)</translation>
    </message>
    <message>
        <source>Growth</source>
        <translation>增长</translation>
    </message>
    <message>
        <source>Crack fraction growth against depth</source>
        <translation>裂纹比例增长随深度</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>并排显示</translation>
    </message>
    <message>
        <source>Show A and B next to each other in a window of their own; the cursor moves both</source>
        <translation>在单独窗口中并排显示 A 和 B；光标同时移动两者</translation>
    </message>
    <message>
        <source>Always affine</source>
        <translation>始终使用仿射变换</translation>
    </message>
    <message>
        <source>Unchecked: rigid, then affine only where it fits clearly better and stays plausible (scales within 5 %, small shear), chosen automatically</source>
        <translation>未勾选：先刚性，仅当仿射明显更好且合理（缩放在 5 % 以内、剪切很小）时才自动选用仿射</translation>
    </message>
    <message>
        <source>Open scan B of the same sample: register it onto the open image (A), segment its particles with A&apos;s particles as markers and match them with A&apos;s</source>
        <translation>打开同一样品的扫描 B：将其配准到已打开的图像（A），以 A 的颗粒为标记分割其颗粒，并与 A 的颗粒匹配</translation>
    </message>
    <message>
        <source>Registering B, segmenting it with A&apos;s particles as markers and matching…</source>
        <translation>正在配准 B，以 A 的颗粒为标记分割并匹配…</translation>
    </message>
    <message>
        <source>B segmented with A&apos;s particles as markers (%1 particles), as cdnet evolve does</source>
        <translation>B 以 A 的颗粒为标记进行分割（%1 个颗粒），与 cdnet evolve 相同</translation>
    </message>
</context>
<context>
    <name>ui::JobLane</name>
    <message>
        <source>out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>未知错误</translation>
    </message>
</context>
<context>
    <name>ui::JobProgressWidget</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>ui::KeyHelp</name>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>In the view under the mouse</source>
        <translation>鼠标下方的视图中</translation>
    </message>
    <message>
        <source>next / previous slice</source>
        <translation>下一张 / 上一张切片</translation>
    </message>
    <message>
        <source>10 slices forward / back</source>
        <translation>前进 / 后退 10 张切片</translation>
    </message>
    <message>
        <source>first / last slice</source>
        <translation>第一张 / 最后一张切片</translation>
    </message>
    <message>
        <source>zoom in / out</source>
        <translation>放大 / 缩小</translation>
    </message>
    <message>
        <source>reset the view</source>
        <translation>重置视图</translation>
    </message>
    <message>
        <source>abort a stroke or polygon</source>
        <translation>中止笔画或多边形</translation>
    </message>
    <message>
        <source>fill the polygon</source>
        <translation>填充多边形</translation>
    </message>
    <message>
        <source>Mouse</source>
        <translation>鼠标</translation>
    </message>
    <message>
        <source>Left click / drag</source>
        <translation>左键单击 / 拖动</translation>
    </message>
    <message>
        <source>move the crosshair; the other views follow (or paint, with a label tool)</source>
        <translation>移动十字光标，其他视图随之移动（使用标注工具时为绘制）</translation>
    </message>
    <message>
        <source>Shift + left drag</source>
        <translation>Shift + 左键拖动</translation>
    </message>
    <message>
        <source>window (left/right) and level (up/down)</source>
        <translation>窗宽（左右）和窗位（上下）</translation>
    </message>
    <message>
        <source>Wheel</source>
        <translation>滚轮</translation>
    </message>
    <message>
        <source>next/previous slice</source>
        <translation>下一张/上一张切片</translation>
    </message>
    <message>
        <source>Ctrl + wheel, right drag</source>
        <translation>Ctrl + 滚轮，右键拖动</translation>
    </message>
    <message>
        <source>zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>Middle drag</source>
        <translation>中键拖动</translation>
    </message>
    <message>
        <source>pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <source>Double-click</source>
        <translation>双击</translation>
    </message>
    <message>
        <source>maximise a view; again restores the four views</source>
        <translation>最大化视图；再次双击恢复四视图</translation>
    </message>
    <message>
        <source>3D view</source>
        <translation>3D 视图</translation>
    </message>
    <message>
        <source>left drag rotates, middle pans, right drag or wheel zooms</source>
        <translation>左键拖动旋转，中键平移，右键拖动或滚轮缩放</translation>
    </message>
    <message>
        <source>Polygon tool</source>
        <translation>多边形工具</translation>
    </message>
    <message>
        <source>click vertices; double-click or Enter fills, with Shift erases</source>
        <translation>单击顶点；双击或回车填充，按住 Shift 擦除</translation>
    </message>
    <message>
        <source>Wheel over a panel</source>
        <translation>面板上的滚轮</translation>
    </message>
    <message>
        <source>scrolls the panel; a field takes the wheel only after a click into it</source>
        <translation>滚动面板；字段只有在点击后才响应滚轮</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <source>Keys act on the view under the mouse; no click is needed first.</source>
        <translation>按键作用于鼠标下方的视图，无需先点击。</translation>
    </message>
    <message>
        <source>Mouse and keys</source>
        <translation>鼠标和按键</translation>
    </message>
</context>
<context>
    <name>ui::LabelActions</name>
    <message>
        <source>Navigate</source>
        <translation>导航</translation>
    </message>
    <message>
        <source>Crosshair, pan and zoom (N)</source>
        <translation>十字线、平移和缩放（N）</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>画笔</translation>
    </message>
    <message>
        <source>Paint the active class with a round brush (B)</source>
        <translation>用圆形画笔绘制当前类别（B）</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>橡皮擦</translation>
    </message>
    <message>
        <source>Erase labels with a round brush (E)</source>
        <translation>用圆形画笔擦除标注（E）</translation>
    </message>
    <message>
        <source>3D brush</source>
        <translation>三维画笔</translation>
    </message>
    <message>
        <source>Paint with a sphere across slices (S)</source>
        <translation>用球体跨切片绘制（S）</translation>
    </message>
    <message>
        <source>Polygon</source>
        <translation>多边形</translation>
    </message>
    <message>
        <source>Click vertices; double-click or Enter fills, with Shift erases (G)</source>
        <translation>单击添加顶点；双击或按 Enter 填充，按住 Shift 则擦除（G）</translation>
    </message>
    <message>
        <source>Flood fill</source>
        <translation>漫水填充</translation>
    </message>
    <message>
        <source>Fill the connected region within the tolerance (F)</source>
        <translation>填充容差范围内的连通区域（F）</translation>
    </message>
    <message>
        <source>Smaller brush</source>
        <translation>缩小画笔</translation>
    </message>
    <message>
        <source>Brush size - 1 ([)</source>
        <translation>画笔大小 − 1（[）</translation>
    </message>
    <message>
        <source>Larger brush</source>
        <translation>放大画笔</translation>
    </message>
    <message>
        <source>Brush size + 1 (])</source>
        <translation>画笔大小 + 1（]）</translation>
    </message>
    <message>
        <source>Interpolate around slice</source>
        <translation>在当前切片周围插值</translation>
    </message>
    <message>
        <source>Fill the XY slices between the nearest labelled slices below and above this one (I)</source>
        <translation>填充当前切片上下最近的已标注切片之间的 XY 切片（I）</translation>
    </message>
    <message>
        <source>Interpolate all gaps</source>
        <translation>插值所有间隙</translation>
    </message>
    <message>
        <source>Fill every gap between labelled XY slices (Shift+I)</source>
        <translation>填充已标注 XY 切片之间的所有间隙（Shift+I）</translation>
    </message>
    <message>
        <source>Slice fully annotated</source>
        <translation>切片已完整标注</translation>
    </message>
    <message>
        <source>Mark or unmark the current XY slice as fully annotated: its unlabelled voxels count as not crack (M)</source>
        <translation>将当前 XY 切片标记为（或取消标记为）已完整标注：其中未标注的体素视为非裂纹（M）</translation>
    </message>
    <message>
        <source>Accept prediction</source>
        <translation>采纳预测</translation>
    </message>
    <message>
        <source>Write the whole prediction into unlabelled voxels</source>
        <translation>将整个预测写入未标注的体素</translation>
    </message>
    <message>
        <source>Accept on slice</source>
        <translation>在切片上采纳</translation>
    </message>
    <message>
        <source>Write the prediction of the visible slice into its unlabelled voxels (Shift+A)</source>
        <translation>将可见切片的预测写入其未标注的体素（Shift+A）</translation>
    </message>
    <message>
        <source>Accept component</source>
        <translation>采纳连通区域</translation>
    </message>
    <message>
        <source>Accept the predicted crack connected to the voxel under the mouse (A)</source>
        <translation>采纳与鼠标下方体素相连的预测裂纹（A）</translation>
    </message>
    <message>
        <source>Delete component</source>
        <translation>删除连通区域</translation>
    </message>
    <message>
        <source>Delete the labelled component under the mouse (D)</source>
        <translation>删除鼠标下方已标注的连通区域（D）</translation>
    </message>
    <message>
        <source>%1: nothing to do here</source>
        <translation>%1：此处无需操作</translation>
    </message>
    <message>
        <source>%1: %2 voxels changed</source>
        <translation>%1：已更改 %2 个体素</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 失败：%2</translation>
    </message>
    <message>
        <source>Interpolate</source>
        <translation>插值</translation>
    </message>
    <message>
        <source>Slice z = %1 marked fully annotated</source>
        <translation>切片 z = %1 已标记为完整标注</translation>
    </message>
    <message>
        <source>Slice z = %1 no longer fully annotated</source>
        <translation>切片 z = %1 已取消完整标注</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>撤销(&amp;U) %1</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>重做(&amp;R) %1</translation>
    </message>
    <message>
        <source>Swap crack / not crack</source>
        <translation>切换裂纹 / 非裂纹</translation>
    </message>
    <message>
        <source>Paint the other class: crack or not crack (T)</source>
        <translation>绘制另一类：裂纹或非裂纹（T）</translation>
    </message>
    <message>
        <source>Painting crack</source>
        <translation>正在绘制裂纹</translation>
    </message>
    <message>
        <source>Painting not crack</source>
        <translation>正在绘制非裂纹</translation>
    </message>
</context>
<context>
    <name>ui::LabelEditor</name>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Tool</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>标注</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
</context>
<context>
    <name>ui::LabelTools</name>
    <message>
        <source>✓ fully annotated</source>
        <translation>✓ 已完整标注</translation>
    </message>
    <message>
        <source>Flood fill: %1 voxels within %2 of %3</source>
        <translation>漫水填充：%3 附近 %2 以内的 %1 个体素</translation>
    </message>
    <message>
        <source>Flood fill changed nothing within %1 of %2 (no undo step); raise the flood tolerance?</source>
        <translation>漫水填充在 %2 附近 %1 以内未做任何更改（未添加撤销步骤）；要提高填充容差吗？</translation>
    </message>
    <message>
        <source>The stroke changed no label (no undo step).</source>
        <translation>该笔画未更改任何标注（未添加撤销步骤）。</translation>
    </message>
    <message>
        <source>The polygon changed no label (no undo step).</source>
        <translation>该多边形未更改任何标注（未添加撤销步骤）。</translation>
    </message>
</context>
<context>
    <name>ui::LazyAnalysisController</name>
    <message>
        <source>Cannot start the analysis now: another job is running.</source>
        <translation>现在无法开始分析：另一个任务正在运行。</translation>
    </message>
    <message>
        <source>Particle analysis slab by slab</source>
        <translation>逐块颗粒分析</translation>
    </message>
    <message>
        <source>The analysis failed: %1</source>
        <translation>分析失败：%1</translation>
    </message>
    <message>
        <source>Cannot open the particle labels %1:
%2</source>
        <translation>无法打开颗粒标签 %1：
%2</translation>
    </message>
</context>
<context>
    <name>ui::LazyBrowser</name>
    <message>
        <source>Cannot open the labels: %1</source>
        <translation>无法打开标注：%1</translation>
    </message>
</context>
<context>
    <name>ui::LazyPredictionController</name>
    <message>
        <source>A prediction is already running.</source>
        <translation>已有预测正在运行。</translation>
    </message>
    <message>
        <source>No model: train one, or load a checkpoint or a TorchScript U-Net.</source>
        <translation>没有模型：请训练一个，或加载检查点或 TorchScript U-Net。</translation>
    </message>
    <message>
        <source>No volume is open lazily.</source>
        <translation>没有延迟打开的体数据。</translation>
    </message>
    <message>
        <source>This volume is too thin for the current 2.5D model: it needs at least %1 slices.</source>
        <translation>该体数据对当前 2.5D 模型来说太薄：至少需要 %1 个切片。</translation>
    </message>
    <message>
        <source>Predict the visible slices</source>
        <translation>预测可见切片</translation>
    </message>
    <message>
        <source>Predicting the visible %1 slice %2</source>
        <translation>正在预测可见的 %1 切片 %2</translation>
    </message>
    <message>
        <source>The prediction cannot replace the image itself: choose another name than %1.</source>
        <translation>预测不能替换图像本身：请选择 %1 以外的名称。</translation>
    </message>
    <message>
        <source>%1 exists already; it is not replaced without asking.</source>
        <translation>%1 已存在；未经询问不会替换。</translation>
    </message>
    <message>
        <source>Predict the whole volume into %1</source>
        <translation>将整个体数据预测到 %1</translation>
    </message>
    <message>
        <source>Predicting the whole volume into %1</source>
        <translation>正在将整个体数据预测到 %1</translation>
    </message>
    <message>
        <source>Cannot open the prediction %1:
%2</source>
        <translation>无法打开预测 %1：
%2</translation>
    </message>
    <message>
        <source>Prediction failed: %1</source>
        <translation>预测失败：%1</translation>
    </message>
    <message>
        <source>Cannot write beside %1: %2</source>
        <translation>无法在 %1 旁写入：%2</translation>
    </message>
    <message>
        <source>Prediction failed: %1
The previous prediction %2 is unchanged.</source>
        <translation>预测失败：%1
之前的预测 %2 保持不变。</translation>
    </message>
</context>
<context>
    <name>ui::LazyPredictionPanel</name>
    <message>
        <source>Prediction of the volume opened lazily (File &gt; Open OME-Zarr lazily), with the model of the Training panel. The whole volume is predicted slab by slab in bounded memory and written beside the image as an OME-Zarr of probabilities (255 = 1).</source>
        <translation>使用训练面板的模型预测延迟打开的体数据（文件 &gt; 延迟打开 OME-Zarr）。整个体数据在有限内存中逐块预测，并以概率 OME-Zarr（255 = 1）写在图像旁边。</translation>
    </message>
    <message>
        <source>Predict &amp;visible slices</source>
        <translation>预测可见切片(&amp;V)</translation>
    </message>
    <message>
        <source>Predicts the three slices the views show, at full resolution</source>
        <translation>以全分辨率预测视图中显示的三个切片</translation>
    </message>
    <message>
        <source>Predict &amp;whole volume…</source>
        <translation>预测整个体数据(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Analyse particles slab by slab</source>
        <translation>逐块分析颗粒(&amp;A)</translation>
    </message>
    <message>
        <source>Particle analysis of the image with the whole-volume prediction as cracks, slab by slab in bounded memory; the table goes to the Statistics panel and beside the image as a CSV</source>
        <translation>以整个体数据的预测作为裂纹，在有限内存中逐块分析图像中的颗粒；表格显示在统计面板中，并以 CSV 保存在图像旁边</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelled; no prediction was left behind.</source>
        <translation>已取消；未留下任何预测文件。</translation>
    </message>
    <message>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>已写入 %1</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Replace?</source>
        <translation>替换？</translation>
    </message>
    <message>
        <source>%1 exists already. Replace it?</source>
        <translation>%1 已存在。是否替换？</translation>
    </message>
    <message numerus="yes">
        <source>%n particle(s) in %1 slab(s); the table is in the Statistics panel and in %2</source>
        <translation>
            <numerusform>%1 个块中共 %n 个颗粒；表格位于统计面板和 %2 中</numerusform>
        </translation>
    </message>
    <message>
        <source>Analysis cancelled.</source>
        <translation>分析已取消。</translation>
    </message>
    <message>
        <source>Particle analysis</source>
        <translation>颗粒分析</translation>
    </message>
    <message>
        <source>Predict the whole volume first: the analysis reads %1.</source>
        <translation>请先预测整个体数据：分析将读取 %1。</translation>
    </message>
    <message>
        <source>Open a volume lazily first (File &gt; Open OME-Zarr lazily)</source>
        <translation>请先延迟打开一个体数据（文件 &gt; 延迟打开 OME-Zarr）</translation>
    </message>
    <message>
        <source>Writes %1; the views show it as it is written</source>
        <translation>写入 %1；视图在写入过程中即显示结果</translation>
    </message>
    <message>
        <source>Cancelled; the previous prediction %1 is kept.</source>
        <translation>已取消；保留之前的预测 %1。</translation>
    </message>
    <message>
        <source>The particle labels, %1, are shown in the slice views.</source>
        <translation>颗粒标签 %1 已显示在切片视图中。</translation>
    </message>
</context>
<context>
    <name>ui::LoadController</name>
    <message>
        <source>Opening %1</source>
        <translation>正在打开 %1</translation>
    </message>
    <message>
        <source>Reading the header of %1</source>
        <translation>正在读取 %1 的文件头</translation>
    </message>
</context>
<context>
    <name>ui::LoadRequest</name>
    <message>
        <source>Demo phantom</source>
        <translation>演示体模</translation>
    </message>
    <message>
        <source>Allocating the label layer</source>
        <translation>正在分配标注图层</translation>
    </message>
    <message>
        <source>Computing the histogram</source>
        <translation>正在计算直方图</translation>
    </message>
    <message>
        <source>Preparing the 3D view</source>
        <translation>正在准备三维视图</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>phantom, %1</source>
        <translation>体模，%1</translation>
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
        <translation>无法打开</translation>
    </message>
    <message>
        <source>Cannot open %1:
%2</source>
        <translation>无法打开 %1：
%2</translation>
    </message>
    <message>
        <source>Opening %1 cancelled</source>
        <translation>已取消打开 %1</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>No volume</source>
        <translation>无体数据</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>忙碌</translation>
    </message>
    <message>
        <source>Cannot open %1 now: %2 is still running.</source>
        <translation>现在无法打开 %1：%2 仍在运行。</translation>
    </message>
    <message>
        <source>%1 — CDNet Studio</source>
        <translation>%1 — CDNet Studio</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>Volumes (*.tif *.tiff *.nrrd *.nhdr *.mha *.mhd *.nii *.nii.gz *.vol *.raw *.bin *.h5 *.hdf5 *.png);;All files (*)</source>
        <translation>体数据 (*.tif *.tiff *.nrrd *.nhdr *.mha *.mhd *.nii *.nii.gz *.vol *.raw *.bin *.h5 *.hdf5 *.png);;所有文件 (*)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open volume</source>
        <translation>打开体数据</translation>
    </message>
    <message>
        <source>Open &amp;folder of TIFF slices…</source>
        <translation>打开 TIFF 切片文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Open a folder of slices</source>
        <translation>打开切片文件夹</translation>
    </message>
    <message>
        <source>Open with &amp;crop and downsample…</source>
        <translation>裁剪并降采样打开(&amp;C)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Open &amp;demo phantom</source>
        <translation>打开演示体模(&amp;D)</translation>
    </message>
    <message>
        <source>Save &amp;screenshot…</source>
        <translation>保存截图(&amp;S)…</translation>
    </message>
    <message>
        <source>Save screenshot</source>
        <translation>保存截图</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Reset all views</source>
        <translation>重置所有视图(&amp;R)</translation>
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
        <translation>三维</translation>
    </message>
    <message>
        <source>Maximise %1</source>
        <translation>最大化 %1</translation>
    </message>
    <message>
        <source>Four views</source>
        <translation>四视图</translation>
    </message>
    <message>
        <source>Show &amp;crosshair</source>
        <translation>显示十字线(&amp;C)</translation>
    </message>
    <message>
        <source>Show &amp;labels</source>
        <translation>显示标注(&amp;L)</translation>
    </message>
    <message>
        <source>Show &amp;prediction</source>
        <translation>显示预测(&amp;P)</translation>
    </message>
    <message>
        <source>Left button: crosshair</source>
        <translation>左键：十字线</translation>
    </message>
    <message>
        <source>Left button: window/level</source>
        <translation>左键：窗宽/窗位</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Mouse and keys</source>
        <translation>鼠标和按键(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;About CDNet Studio</source>
        <translation>关于 CDNet Studio(&amp;A)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Crosshair</source>
        <translation>十字线</translation>
    </message>
    <message>
        <source>Window/level</source>
        <translation>窗宽/窗位</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>Statistics</source>
        <translation>统计</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>Opened %1. Warning: %2</source>
        <translation>已打开 %1。警告：%2</translation>
    </message>
    <message numerus="yes">
        <source>Loading %n block(s)…</source>
        <translation>
            <numerusform>正在加载 %n 个数据块…</numerusform>
        </translation>
    </message>
    <message>
        <source>All visible blocks loaded</source>
        <translation>所有可见数据块已加载</translation>
    </message>
    <message>
        <source>Open OME-Zarr &amp;lazily (larger than memory)…</source>
        <translation>按需打开 OME-Zarr(&amp;L)（大于内存）…</translation>
    </message>
    <message>
        <source>Open an OME-Zarr folder lazily</source>
        <translation>按需打开 OME-Zarr 文件夹</translation>
    </message>
    <message>
        <source>Cannot open %1</source>
        <translation>无法打开 %1</translation>
    </message>
    <message>
        <source>Open &amp;second time point…</source>
        <translation>打开第二时间点(&amp;S)…</translation>
    </message>
    <message>
        <source>Show &amp;time point B</source>
        <translation>显示时间点 B(&amp;T)</translation>
    </message>
    <message>
        <source>Showing %1 from its pyramid %2 as it loads</source>
        <translation>正在从金字塔 %2 边加载边显示 %1</translation>
    </message>
    <message>
        <source>Big volume (opened lazily)</source>
        <translation>大体积数据（延迟打开）</translation>
    </message>
    <message>
        <source>Part of the volume could not be read and is shown hatched: %1</source>
        <translation>部分体数据无法读取，已用斜线标出：%1</translation>
    </message>
    <message>
        <source>Showing %1 as it loads; labels are saved next to it (Ctrl+Alt+S)</source>
        <translation>正在边加载边显示 %1；标注保存在其旁边（Ctrl+Alt+S）</translation>
    </message>
    <message>
        <source>Open &amp;HDF5 lazily (larger than memory)…</source>
        <translation>按需打开 HDF5(&amp;H)（大于内存）…</translation>
    </message>
    <message>
        <source>Open an HDF5 file lazily</source>
        <translation>按需打开 HDF5 文件</translation>
    </message>
    <message>
        <source>HDF5 files (*.h5 *.hdf5 *.hdf *.nxs)</source>
        <translation>HDF5 文件 (*.h5 *.hdf5 *.hdf *.nxs)</translation>
    </message>
    <message>
        <source>&amp;Memory for big volumes…</source>
        <translation>大体数据的内存(&amp;M)…</translation>
    </message>
</context>
<context>
    <name>ui::OpenVolumeDialog</name>
    <message>
        <source>Open volume</source>
        <translation>打开体数据</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>体数据</translation>
    </message>
    <message>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to (inclusive)</source>
        <translation>到（含）</translation>
    </message>
    <message>
        <source>Crop (voxels)</source>
        <translation>裁剪（体素）</translation>
    </message>
    <message>
        <source>Downsample</source>
        <translation>降采样</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Result: %1.
Memory: %2 image + %3 labels; %4 available.</source>
        <translation>结果：%1。
内存：图像 %2 + 标注 %3；可用 %4。</translation>
    </message>
    <message>
        <source>
This does not fit: crop or downsample more.</source>
        <translation>
内存不足：请进一步裁剪或降采样。</translation>
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
        <translation>颗粒 ID，即颗粒标签体数据中的值</translation>
    </message>
    <message>
        <source>Centroid x</source>
        <translation>质心 x</translation>
    </message>
    <message>
        <source>Centroid x (volume origin + index * spacing)</source>
        <translation>质心 x（体数据原点 + 索引 * 体素间距）</translation>
    </message>
    <message>
        <source>Centroid y</source>
        <translation>质心 y</translation>
    </message>
    <message>
        <source>Centroid z</source>
        <translation>质心 z</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>深度</translation>
    </message>
    <message>
        <source>Centroid distance from the chosen electrode face (outer face of the first or last slice)</source>
        <translation>质心到所选电极表面（第一张或最后一张切片的外表面）的距离</translation>
    </message>
    <message>
        <source>Filled voxels</source>
        <translation>填充体素数</translation>
    </message>
    <message>
        <source>Voxels of the particle with its cracks and holes filled</source>
        <translation>填充裂纹和孔洞后的颗粒体素数</translation>
    </message>
    <message>
        <source>Filled volume</source>
        <translation>填充体积</translation>
    </message>
    <message>
        <source>Volume with cracks and enclosed holes filled</source>
        <translation>填充裂纹和封闭孔洞后的体积</translation>
    </message>
    <message>
        <source>Solid volume</source>
        <translation>固相体积</translation>
    </message>
    <message>
        <source>Volume of solid voxels (grey value &gt;= threshold, not crack)</source>
        <translation>固相体素的体积（灰度值 &gt;= 阈值，且非裂纹）</translation>
    </message>
    <message>
        <source>Crack volume</source>
        <translation>裂纹体积</translation>
    </message>
    <message>
        <source>Volume of crack-mask voxels inside the particle</source>
        <translation>颗粒内裂纹掩膜体素的体积</translation>
    </message>
    <message>
        <source>Void volume</source>
        <translation>空隙体积</translation>
    </message>
    <message>
        <source>Volume of enclosed dark voxels that are not in the crack mask (pores, missed cracks)</source>
        <translation>不在裂纹掩膜中的封闭暗体素的体积（孔隙、漏检的裂纹）</translation>
    </message>
    <message>
        <source>Crack fraction</source>
        <translation>裂纹分数</translation>
    </message>
    <message>
        <source>Crack volume fraction (damage degree) = crack_volume / filled_volume</source>
        <translation>裂纹体积分数（损伤程度）= crack_volume / filled_volume</translation>
    </message>
    <message>
        <source>Damage fraction</source>
        <translation>损伤分数</translation>
    </message>
    <message>
        <source>(filled_volume - solid_volume) / filled_volume = crack + void fraction</source>
        <translation>(filled_volume - solid_volume) / filled_volume = 裂纹分数 + 空隙分数</translation>
    </message>
    <message>
        <source>Crack pieces</source>
        <translation>裂纹片段数</translation>
    </message>
    <message>
        <source>Connected pieces (26-connected) of the crack inside the particle</source>
        <translation>颗粒内裂纹的连通片段数（26 连通）</translation>
    </message>
    <message>
        <source>Eq diameter</source>
        <translation>等效直径</translation>
    </message>
    <message>
        <source>Equivalent sphere diameter (6 V / pi)^(1/3) of the filled volume</source>
        <translation>填充体积的等效球直径 (6 V / pi)^(1/3)</translation>
    </message>
    <message>
        <source>Surface area</source>
        <translation>表面积</translation>
    </message>
    <message>
        <source>Surface area, Cauchy-Crofton estimate over 13 lattice directions</source>
        <translation>表面积，基于 13 个晶格方向的 Cauchy-Crofton 估计</translation>
    </message>
    <message>
        <source>Sphericity</source>
        <translation>球形度</translation>
    </message>
    <message>
        <source>36 pi V^2 / S^3 (1 for a sphere)</source>
        <translation>36 pi V^2 / S^3（球体为 1）</translation>
    </message>
    <message>
        <source>Elongation</source>
        <translation>伸长度</translation>
    </message>
    <message>
        <source>sqrt(l2 / l1) of the inertia (covariance) eigenvalues l1 &gt;= l2 &gt;= l3 (1 = round)</source>
        <translation>惯性（协方差）特征值 l1 &gt;= l2 &gt;= l3 的 sqrt(l2 / l1)（1 = 圆）</translation>
    </message>
    <message>
        <source>Flatness</source>
        <translation>扁平度</translation>
    </message>
    <message>
        <source>sqrt(l3 / l2) (1 = round)</source>
        <translation>sqrt(l3 / l2)（1 = 圆）</translation>
    </message>
    <message>
        <source>Major axis angle</source>
        <translation>主轴角</translation>
    </message>
    <message>
        <source>Angle between the longest principal axis and the depth axis</source>
        <translation>最长主轴与深度轴之间的夹角</translation>
    </message>
    <message>
        <source>Feret diameter</source>
        <translation>Feret 直径</translation>
    </message>
    <message>
        <source>Maximum caliper diameter</source>
        <translation>最大卡尺直径</translation>
    </message>
    <message>
        <source>Mean grey</source>
        <translation>平均灰度</translation>
    </message>
    <message>
        <source>Mean grey value of the solid voxels (of all voxels when none is solid)</source>
        <translation>固相体素的平均灰度值（若无固相体素则为全部体素）</translation>
    </message>
    <message>
        <source>Packing density</source>
        <translation>堆积密度</translation>
    </message>
    <message>
        <source>Fraction of voxels holding a particle in the sphere of radius factor * eq_diameter around the centroid (inside the volume)</source>
        <translation>以质心为中心、半径为 系数 * eq_diameter 的球内（体数据范围内）属于颗粒的体素比例</translation>
    </message>
    <message>
        <source>Nn distance</source>
        <translation>最近邻距离</translation>
    </message>
    <message>
        <source>Distance from the centroid to the nearest other particle&apos;s centroid (empty when alone)</source>
        <translation>质心到最近的其他颗粒质心的距离（无其他颗粒时为空）</translation>
    </message>
    <message>
        <source>Nn id</source>
        <translation>最近邻 ID</translation>
    </message>
    <message>
        <source>Id of that nearest particle (empty when alone)</source>
        <translation>该最近颗粒的 ID（无其他颗粒时为空）</translation>
    </message>
    <message>
        <source>Touching neighbours</source>
        <translation>接触邻居数</translation>
    </message>
    <message>
        <source>Particles sharing at least one voxel face with this one</source>
        <translation>与此颗粒至少共享一个体素面的颗粒数</translation>
    </message>
    <message>
        <source>Border</source>
        <translation>边界</translation>
    </message>
    <message>
        <source>1 when the particle touches a face of the volume (cut: sizes are partial)</source>
        <translation>颗粒接触体数据边界面时为 1（被截断：尺寸不完整）</translation>
    </message>
</context>
<context>
    <name>ui::ParticleLayer</name>
    <message>
        <source>Merge particles %1 and %2</source>
        <translation>合并颗粒 %1 和 %2</translation>
    </message>
    <message>
        <source>Delete particle %1</source>
        <translation>删除颗粒 %1</translation>
    </message>
    <message>
        <source>Split particle %1</source>
        <translation>拆分颗粒 %1</translation>
    </message>
    <message>
        <source>Re-measuring particles</source>
        <translation>正在重新测量颗粒</translation>
    </message>
</context>
<context>
    <name>ui::PredictionController</name>
    <message>
        <source>Cannot load the model %1:
%2</source>
        <translation>无法加载模型 %1：
%2</translation>
    </message>
    <message>
        <source>A prediction is already running.</source>
        <translation>已有预测正在运行。</translation>
    </message>
    <message>
        <source>No model: train one, or load a checkpoint or a TorchScript U-Net.</source>
        <translation>没有模型：请训练一个模型，或加载检查点或 TorchScript U-Net。</translation>
    </message>
    <message>
        <source>No volume is open.</source>
        <translation>未打开体数据。</translation>
    </message>
    <message>
        <source>No slice to predict.</source>
        <translation>没有可预测的切片。</translation>
    </message>
    <message>
        <source>Predicting slice %1 (%2 of %3)</source>
        <translation>正在预测切片 %1（第 %2 个，共 %3 个）</translation>
    </message>
    <message>
        <source>Prediction failed: %1</source>
        <translation>预测失败：%1</translation>
    </message>
    <message>
        <source>Predict the whole volume</source>
        <translation>预测整个体数据</translation>
    </message>
    <message>
        <source>Predict sample slices for a suggestion</source>
        <translation>预测样本切片以给出建议</translation>
    </message>
    <message>
        <source>Predict slice %1</source>
        <translation>预测切片 %1</translation>
    </message>
    <message numerus="yes">
        <source>This volume has %n slice(s), too few for the current model, a 2.5D model that sees %1 neighbour slice(s) above and below: it needs at least %2. Use a 2D model for it.</source>
        <translation>
            <numerusform>此体数据有 %n 张切片，对于当前模型（上下各看 %1 张相邻切片的 2.5D 模型）太少：至少需要 %2 张。请对其使用 2D 模型。</numerusform>
        </translation>
    </message>
    <message>
        <source>Predicting slices %1 to %2 in XY, XZ and YZ (tri-planar)</source>
        <translation>正在以 XY、XZ 和 YZ 预测切片 %1 至 %2（三平面）</translation>
    </message>
    <message>
        <source>Predict the whole volume (tri-planar)</source>
        <translation>预测整个体数据（三平面）</translation>
    </message>
</context>
<context>
    <name>ui::PredictionPanel</name>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Load checkpoint...</source>
        <translation>加载检查点…</translation>
    </message>
    <message>
        <source>Save a copy...</source>
        <translation>保存副本…</translation>
    </message>
    <message>
        <source>Export TorchScript...</source>
        <translation>导出 TorchScript…</translation>
    </message>
    <message>
        <source>Import TorchScript...</source>
        <translation>导入 TorchScript…</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Predict current slice</source>
        <translation>预测当前切片</translation>
    </message>
    <message>
        <source>Predict slices around it (±2)</source>
        <translation>预测其周围的切片（±2）</translation>
    </message>
    <message>
        <source>Predict whole volume</source>
        <translation>预测整个体数据</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Accept predicted slices</source>
        <translation>采纳已预测的切片</translation>
    </message>
    <message>
        <source>On predicted slices, writes crack where the prediction is at least 0.5 and not crack elsewhere, on unlabelled voxels only (one undo step)</source>
        <translation>在已预测的切片上，预测值不低于 0.5 处写入裂纹，其余写入非裂纹；仅作用于未标注体素（一步撤销）</translation>
    </message>
    <message>
        <source>Suggest next slice</source>
        <translation>建议下一张切片</translation>
    </message>
    <message>
        <source>Jumps to the slice where the model is least certain (mean binary entropy)</source>
        <translation>跳转到模型最不确定的切片（平均二元熵）</translation>
    </message>
    <message>
        <source>Predict slices %1 to %2</source>
        <translation>预测切片 %1 到 %2</translation>
    </message>
    <message>
        <source>Load a CDNet checkpoint</source>
        <translation>加载 CDNet 检查点</translation>
    </message>
    <message>
        <source>Checkpoints (*.pt);;All files (*)</source>
        <translation>检查点 (*.pt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import a TorchScript U-Net</source>
        <translation>导入 TorchScript U-Net</translation>
    </message>
    <message>
        <source>TorchScript (*.pt *.pth *.ts);;All files (*)</source>
        <translation>TorchScript (*.pt *.pth *.ts);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Prediction cancelled; finished slices are kept.</source>
        <translation>预测已取消；已完成的切片会保留。</translation>
    </message>
    <message>
        <source>slice %1: entropy %2</source>
        <translation>切片 %1：熵 %2</translation>
    </message>
    <message>
        <source>Most uncertain slices:
%1</source>
        <translation>最不确定的切片：
%1</translation>
    </message>
    <message>
        <source>No model yet: train one above, or load a checkpoint.</source>
        <translation>尚无模型：请在上方训练一个模型，或加载检查点。</translation>
    </message>
    <message>
        <source>TorchScript</source>
        <translation>TorchScript</translation>
    </message>
    <message>
        <source>CDNet checkpoint</source>
        <translation>CDNet 检查点</translation>
    </message>
    <message>
        <source>, base width %1</source>
        <translation>，基础宽度 %1</translation>
    </message>
    <message>
        <source>%1%2, %3 parameters, on %4
%5</source>
        <translation>%1%2，%3 个参数，运行于 %4
%5</translation>
    </message>
    <message>
        <source>The prediction changed no label.</source>
        <translation>预测未更改任何标注。</translation>
    </message>
    <message>
        <source>Cannot accept the prediction: %1</source>
        <translation>无法采纳预测：%1</translation>
    </message>
    <message>
        <source>Save the model as a checkpoint</source>
        <translation>将模型保存为检查点</translation>
    </message>
    <message>
        <source>Checkpoints (*.pt)</source>
        <translation>检查点 (*.pt)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Cannot save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <source>Export the model as TorchScript</source>
        <translation>将模型导出为 TorchScript</translation>
    </message>
    <message>
        <source>TorchScript (*.pt)</source>
        <translation>TorchScript (*.pt)</translation>
    </message>
    <message>
        <source>Exported %1 (torch.jit.load in Python runs it)</source>
        <translation>已导出 %1（可在 Python 中用 torch.jit.load 运行）</translation>
    </message>
    <message>
        <source>Cannot export %1: %2</source>
        <translation>无法导出 %1：%2</translation>
    </message>
    <message>
        <source>Use the starter model</source>
        <translation>使用入门模型</translation>
    </message>
    <message>
        <source>A small CDNet pretrained on phantoms that ships with CDNet Studio: a first prediction before you label anything; fine-tune it on your labels for your data</source>
        <translation>CDNet Studio 自带的小型 CDNet，已在模拟体数据上预训练：在标注之前即可得到初步预测；请用您的标注对其微调以适应您的数据</translation>
    </message>
    <message>
        <source>No model yet: train one above, load a checkpoint, or use the starter model.</source>
        <translation>尚无模型：请在上方训练一个模型、加载检查点，或使用入门模型。</translation>
    </message>
    <message>
        <source>Test-time augmentation (about 8x slower)</source>
        <translation>测试时增强（约慢 8 倍）</translation>
    </message>
    <message>
        <source>Averages the predictions of the 8 flips and 90-degree rotations of every tile: smoother, orientation-independent probabilities at about eight times the cost</source>
        <translation>对每个图块的 8 种翻转和 90 度旋转的预测取平均：概率更平滑且与方向无关，代价约为八倍</translation>
    </message>
    <message>
        <source>, 2.5D (%1 neighbour slices each side)</source>
        <translation>，2.5D（每侧 %1 个相邻切片）</translation>
    </message>
    <message numerus="yes">
        <source>Prediction done: the model found no crack (no voxel above 0.5 on %n predicted slice(s)).</source>
        <translation>
            <numerusform>预测完成：模型未发现裂纹（%n 张已预测切片上没有高于 0.5 的体素）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Prediction done: %1 voxels (%2 %) above 0.5 on %n predicted slice(s).</source>
        <translation>
            <numerusform>预测完成：%n 张已预测切片上有 %1 个体素（%2 %）高于 0.5。</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to suggest: every predicted slice is labelled, suggested before or within %1 slices of one. Predict more slices, or label the suggested ones.</source>
        <translation>无可建议：每张已预测切片均已标注、已建议过，或距其不超过 %1 张切片。请预测更多切片，或标注已建议的切片。</translation>
    </message>
    <message>
        <source>Prediction accepted: %1 voxels labelled (Undo reverts it).</source>
        <translation>已接受预测：标注了 %1 个体素（撤销可还原）。</translation>
    </message>
    <message numerus="yes">
        <source>Accept the prediction on %n slice(s)?</source>
        <translation>
            <numerusform>接受 %n 张切片上的预测？</numerusform>
        </translation>
    </message>
    <message>
        <source>This labels %1 unlabelled voxels: %2 as crack, the others as not crack. Undo reverts it.</source>
        <translation>这将标注 %1 个未标注体素：%2 个为裂纹，其余为非裂纹。撤销可还原。</translation>
    </message>
    <message numerus="yes">
        <source>The prediction on %n slice(s) is not from the current model: predict again to update it.</source>
        <translation>
            <numerusform>%n 张切片上的预测并非来自当前模型：请重新预测以更新。</numerusform>
        </translation>
    </message>
    <message>
        <source>Tri-planar fusion (about 3x slower)</source>
        <translation>三平面融合（约慢 3 倍）</translation>
    </message>
    <message>
        <source>Predict whole volume only: also predicts every XZ and YZ plane and averages the three probabilities, for cracks that agree from slice to slice, at about three times the cost. Single slices and the slices around one are predicted in their XY plane.</source>
        <translation>仅用于“预测整个体数据”：同时预测每个 XZ 和 YZ 平面并平均三者的概率，使裂纹在切片间保持一致，代价约为三倍。单张切片及其周围切片仅在 XY 平面中预测。</translation>
    </message>
    <message>
        <source>Tri-planar fusion applies to Predict whole volume only: this predicts in the XY plane</source>
        <translation>三平面融合仅用于“预测整个体数据”：此操作在 XY 平面中预测</translation>
    </message>
    <message>
        <source>Precision: auto</source>
        <translation>精度：自动</translation>
    </message>
    <message>
        <source>Precision: fp32</source>
        <translation>精度：fp32</translation>
    </message>
    <message>
        <source>Precision: bf16</source>
        <translation>精度：bf16</translation>
    </message>
    <message>
        <source>Arithmetic of the network. Auto: bf16 where the processor computes it natively (AVX512_BF16 or AMX; this one: %1), else fp32. bf16 is faster and moves probabilities by about 0.01; fp32 gives exactly the results of earlier versions; bf16 on a processor without it is refused.</source>
        <translation>网络的计算精度。自动：处理器原生支持 bf16（AVX512_BF16 或 AMX；本机：%1）时用 bf16，否则用 fp32。bf16 更快，概率变化约 0.01；fp32 与早期版本的结果完全相同；在不支持的处理器上选择 bf16 会被拒绝。</translation>
    </message>
    <message>
        <source>
Calibrated threshold %1 on held-out labels (not used by default: the overlay follows the slider)</source>
        <translation>
在留出标注上校准的阈值 %1（默认不使用：叠加层跟随滑块）</translation>
    </message>
    <message>
        <source>
Calibrated threshold %1 on its training labels (not used by default: the overlay follows the slider)</source>
        <translation>
在其训练标注上校准的阈值 %1（默认不使用：叠加层跟随滑块）</translation>
    </message>
</context>
<context>
    <name>ui::ProjectController</name>
    <message>
        <source>CDNet projects (*.cdnet)</source>
        <translation>CDNet 项目 (*.cdnet)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The labels of %1 have unsaved changes. Save them?</source>
        <translation>%1 的标注有未保存的更改。是否保存？</translation>
    </message>
    <message>
        <source>Recover unsaved work</source>
        <translation>恢复未保存的工作</translation>
    </message>
    <message>
        <source>CDNet Studio did not close properly. Labels of %1 were autosaved at %2.
Recover them?</source>
        <translation>CDNet Studio 未正常关闭。%1 的标注已于 %2 自动保存。
是否恢复？</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>Save project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <source>&amp;New project</source>
        <translation>新建项目(&amp;N)</translation>
    </message>
    <message>
        <source>Open pro&amp;ject…</source>
        <translation>打开项目(&amp;J)…</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>&amp;Save project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Recent pro&amp;jects</source>
        <translation>最近的项目(&amp;J)</translation>
    </message>
    <message>
        <source>Cannot open project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>There is no volume to save a project of.</source>
        <translation>没有可保存为项目的体数据。</translation>
    </message>
    <message>
        <source>%1 is not a file on disk: a project needs its image as a file.</source>
        <translation>%1 不是磁盘上的文件：项目需要以文件形式存在的图像。</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>This project is open in another CDNet Studio: no autosave here.</source>
        <translation>此项目已在另一个 CDNet Studio 中打开：此处不自动保存。</translation>
    </message>
    <message>
        <source>Autosave failed: %1</source>
        <translation>自动保存失败：%1</translation>
    </message>
    <message>
        <source>Cannot recover</source>
        <translation>无法恢复</translation>
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
        <translation>（无）</translation>
    </message>
    <message>
        <source>Cannot open the project %1:
%2</source>
        <translation>无法打开项目 %1：
%2</translation>
    </message>
    <message>
        <source>The project&apos;s prediction %1 is missing: opened without it.</source>
        <translation>项目的预测 %1 缺失：已在没有预测的情况下打开。</translation>
    </message>
    <message>
        <source>The labels and the trained model of %1 are not saved. Save the project? (The model is kept in a folder next to the project file.)</source>
        <translation>%1 的标注和训练好的模型尚未保存。是否保存项目？（模型将保存在项目文件旁的文件夹中。）</translation>
    </message>
    <message>
        <source>The model trained on %1 is not saved with the project. Save the project? (The model is kept in a folder next to the project file.)</source>
        <translation>在 %1 上训练的模型尚未随项目保存。是否保存项目？（模型将保存在项目文件旁的文件夹中。）</translation>
    </message>
    <message>
        <source>Project opened without some of its files</source>
        <translation>项目已打开，但缺少部分文件</translation>
    </message>
    <message>
        <source>Saved %1; the model is kept in %2</source>
        <translation>已保存 %1；模型保存在 %2</translation>
    </message>
    <message>
        <source>Model not saved</source>
        <translation>模型未保存</translation>
    </message>
    <message>
        <source>The project was saved without its model: %1</source>
        <translation>项目已保存，但未包含模型：%1</translation>
    </message>
</context>
<context>
    <name>ui::ProjectExtras</name>
    <message>
        <source>The particle analysis was not restored: %1</source>
        <translation>未能恢复颗粒分析：%1</translation>
    </message>
    <message>
        <source>The project&apos;s model %1 was not loaded (%2); the rest of the project is open. Train or load a model, then save the project.</source>
        <translation>未能加载项目的模型 %1（%2）；项目其余部分已打开。请训练或加载模型，然后保存项目。</translation>
    </message>
    <message>
        <source>The second time point %1 is missing: the project opened without it.</source>
        <translation>第二时间点 %1 缺失：项目已在没有它的情况下打开。</translation>
    </message>
    <message>
        <source>The second time point was not restored: %1</source>
        <translation>第二时间点未恢复：%1</translation>
    </message>
</context>
<context>
    <name>ui::PyramidOffer</name>
    <message>
        <source>Large volume</source>
        <translation>大体数据</translation>
    </message>
    <message>
        <source>%1 is %2 (%3 GiB), more than the studio should hold in memory.

Build a multiscale pyramid (OME-Zarr) of it once? It is written to
%4
in the background, then the views read only what they show. Next time it opens at once.</source>
        <translation>%1 为 %2（%3 GiB），超出了工作室适合保存在内存中的大小。

是否为其一次性构建多尺度金字塔（OME-Zarr）？它将在后台写入
%4
之后视图只读取所显示的部分。下次将立即打开。</translation>
    </message>
    <message>
        <source>Build pyramid</source>
        <translation>构建金字塔</translation>
    </message>
    <message>
        <source>Open in memory</source>
        <translation>在内存中打开</translation>
    </message>
    <message>
        <source>Cannot build the pyramid of %1: cannot write %2. The partial pyramid was removed.</source>
        <translation>无法构建 %1 的金字塔：无法写入 %2。不完整的金字塔已删除。</translation>
    </message>
    <message>
        <source>Building the pyramid of %1 was cancelled; the partial pyramid was removed.</source>
        <translation>已取消构建 %1 的金字塔；不完整的金字塔已删除。</translation>
    </message>
    <message>
        <source>Cannot build the pyramid of %1: %2
The partial pyramid was removed.</source>
        <translation>无法构建 %1 的金字塔：%2
不完整的金字塔已删除。</translation>
    </message>
    <message>
        <source>Building a pyramid of %1</source>
        <translation>正在构建 %1 的金字塔</translation>
    </message>
</context>
<context>
    <name>ui::RawParamsDialog</name>
    <message>
        <source>Raw volume parameters</source>
        <translation>原始体数据参数</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Size (voxels)</source>
        <translation>尺寸（体素）</translation>
    </message>
    <message>
        <source>Voxel type</source>
        <translation>体素类型</translation>
    </message>
    <message>
        <source>Little endian (PC)</source>
        <translation>小端序（PC）</translation>
    </message>
    <message>
        <source>Big endian</source>
        <translation>大端序</translation>
    </message>
    <message>
        <source>Byte order</source>
        <translation>字节序</translation>
    </message>
    <message>
        <source> bytes</source>
        <translation> 字节</translation>
    </message>
    <message>
        <source>Header to skip</source>
        <translation>跳过的文件头</translation>
    </message>
    <message>
        <source>Voxel size</source>
        <translation>体素尺寸</translation>
    </message>
    <message>
        <source>Needs %1 bytes; the file has %2.</source>
        <translation>需要 %1 字节；文件有 %2 字节。</translation>
    </message>
    <message>
        <source> The rest of the file is ignored.</source>
        <translation>文件其余部分将被忽略。</translation>
    </message>
    <message>
        <source> The file is too short for these parameters.</source>
        <translation>对于这些参数，文件太短。</translation>
    </message>
</context>
<context>
    <name>ui::SliceView</name>
    <message>
        <source>No volume
File › Open, drop a file here, or File › Open demo phantom</source>
        <translation>无体数据
文件 › 打开，将文件拖放到此处，或 文件 › 打开演示体模</translation>
    </message>
</context>
<context>
    <name>ui::SparseLabelLayer</name>
    <message>
        <source>Save &amp;labels of the lazy volume</source>
        <translation>保存延迟加载体数据的标注(&amp;L)</translation>
    </message>
    <message>
        <source>Labels saved to %1: %2 chunk(s) written, %3 removed, %4 bytes</source>
        <translation>标注已保存到 %1：写入 %2 个分块，删除 %3 个，%4 字节</translation>
    </message>
    <message>
        <source>Cannot save the labels: %1</source>
        <translation>无法保存标注：%1</translation>
    </message>
    <message>
        <source>Cannot read the labels: %1</source>
        <translation>无法读取标注：%1</translation>
    </message>
    <message>
        <source>Cannot open the labels: %1</source>
        <translation>无法打开标签：%1</translation>
    </message>
</context>
<context>
    <name>ui::StatisticsPanel</name>
    <message>
        <source>Analysing…</source>
        <translation>正在分析…</translation>
    </message>
    <message numerus="yes">
        <source>%n particle(s); solid threshold %1 (%2)</source>
        <translation>
            <numerusform>%n 个颗粒；固相阈值 %1（%2）</numerusform>
        </translation>
    </message>
    <message>
        <source>Analysis cancelled</source>
        <translation>分析已取消</translation>
    </message>
    <message>
        <source>Analysis failed</source>
        <translation>分析失败</translation>
    </message>
    <message>
        <source>Particle analysis</source>
        <translation>颗粒分析</translation>
    </message>
    <message numerus="yes">
        <source>%n particle(s); re-measured in %1 s</source>
        <translation>
            <numerusform>%n 个颗粒；重新测量用时 %1 秒</numerusform>
        </translation>
    </message>
    <message>
        <source>Prediction (display threshold)</source>
        <translation>预测（显示阈值）</translation>
    </message>
    <message>
        <source>Labels (crack class)</source>
        <translation>标注（裂纹类别）</translation>
    </message>
    <message>
        <source>No cracks</source>
        <translation>无裂纹</translation>
    </message>
    <message>
        <source>Cracks</source>
        <translation>裂纹</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Solid threshold</source>
        <translation>固相阈值</translation>
    </message>
    <message>
        <source> voxels</source>
        <translation> 体素</translation>
    </message>
    <message>
        <source>Minimum volume</source>
        <translation>最小体积</translation>
    </message>
    <message>
        <source>Relative height a distance-map maximum needs to become its own particle; lower splits more</source>
        <translation>距离图极大值成为独立颗粒所需的相对高度；数值越低拆分越多</translation>
    </message>
    <message>
        <source>Split height</source>
        <translation>拆分高度</translation>
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
        <translation>从第一张切片起</translation>
    </message>
    <message>
        <source>from last slice</source>
        <translation>从最后一张切片起</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>深度</translation>
    </message>
    <message>
        <source> µm</source>
        <translation> µm</translation>
    </message>
    <message>
        <source>Depth bin width</source>
        <translation>深度分箱宽度</translation>
    </message>
    <message>
        <source> × diameter</source>
        <translation> × 直径</translation>
    </message>
    <message>
        <source>Packing radius</source>
        <translation>堆积半径</translation>
    </message>
    <message>
        <source>Run analysis</source>
        <translation>运行分析</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>No analysis yet</source>
        <translation>尚未分析</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Outline of the selected</source>
        <translation>所选颗粒的轮廓</translation>
    </message>
    <message>
        <source>Colour all</source>
        <translation>全部着色</translation>
    </message>
    <message>
        <source>In slices</source>
        <translation>切片中</translation>
    </message>
    <message>
        <source>3D colour by</source>
        <translation>三维着色依据</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <source>Merge the two selected particles into the first</source>
        <translation>将所选的两个颗粒合并到第一个</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>拆分</translation>
    </message>
    <message>
        <source>Cut the selected particle in two across its longest axis</source>
        <translation>沿垂直于最长轴的方向将所选颗粒一分为二</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Save labels…</source>
        <translation>保存标签…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Merge particles</source>
        <translation>合并颗粒</translation>
    </message>
    <message>
        <source>Select exactly two particles in the table (Ctrl+click) to merge them.</source>
        <translation>请在表格中恰好选择两个颗粒（Ctrl+单击）以合并它们。</translation>
    </message>
    <message>
        <source>Split particle</source>
        <translation>拆分颗粒</translation>
    </message>
    <message>
        <source>Select one particle in the table to split it.</source>
        <translation>请在表格中选择一个颗粒以拆分它。</translation>
    </message>
    <message>
        <source>Save particle labels</source>
        <translation>保存颗粒标签</translation>
    </message>
    <message>
        <source>NRRD (*.nrrd *.nhdr);;All files (*)</source>
        <translation>NRRD (*.nrrd *.nhdr);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Saved particle labels to %1</source>
        <translation>颗粒标签已保存到 %1</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>Cannot save %1:
%2</source>
        <translation>无法保存 %1：
%2</translation>
    </message>
    <message>
        <source>Export particle table</source>
        <translation>导出颗粒表</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Exported %1 and %2</source>
        <translation>已导出 %1 和 %2</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>无法导出</translation>
    </message>
    <message>
        <source>Cannot write %1:
%2</source>
        <translation>无法写入 %1：
%2</translation>
    </message>
    <message>
        <source>Particle id (distinct colours)</source>
        <translation>颗粒 ID（不同颜色）</translation>
    </message>
    <message>
        <source>Crack growth (A to B)</source>
        <translation>裂纹增长（A 到 B）</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Pieces of one particle are joined again where their contact is at least this many times as wide as the smaller piece; lower keeps touching particles together, 0 turns it off</source>
        <translation>当一个颗粒的各部分之间的接触宽度至少为较小部分的这么多倍时，将其重新合并；数值越小，相互接触的颗粒越容易被合在一起，0 表示关闭</translation>
    </message>
    <message>
        <source>Contact ratio</source>
        <translation>接触比</translation>
    </message>
</context>
<context>
    <name>ui::StatisticsPlots</name>
    <message>
        <source>Histogram</source>
        <translation>直方图</translation>
    </message>
    <message>
        <source>Scatter</source>
        <translation>散点图</translation>
    </message>
    <message>
        <source>Depth profile</source>
        <translation>深度剖面</translation>
    </message>
    <message>
        <source>bins </source>
        <translation>分箱数 </translation>
    </message>
    <message>
        <source>Save plot…</source>
        <translation>保存图表…</translation>
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
        <translation>保存图表</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>No particles: run the analysis</source>
        <translation>没有颗粒：请运行分析</translation>
    </message>
    <message>
        <source>Particles</source>
        <translation>颗粒</translation>
    </message>
    <message>
        <source>Histogram of %1</source>
        <translation>%1 的直方图</translation>
    </message>
    <message>
        <source>%1 against %2</source>
        <translation>%1 与 %2 的关系</translation>
    </message>
    <message>
        <source>No depth profile</source>
        <translation>无深度剖面</translation>
    </message>
    <message>
        <source>Depth (µm)</source>
        <translation>深度（µm）</translation>
    </message>
    <message>
        <source>Crack volume fraction</source>
        <translation>裂纹体积分数</translation>
    </message>
    <message>
        <source>Damage against depth (bins of %1 µm)</source>
        <translation>损伤随深度的变化（分箱 %1 µm）</translation>
    </message>
</context>
<context>
    <name>ui::TimePointPairView</name>
    <message>
        <source>Scans A and B side by side</source>
        <translation>扫描 A 与 B 并排</translation>
    </message>
    <message>
        <source>A: %1</source>
        <translation>A：%1</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>B on A&apos;s grid: %1</source>
        <translation>B（A 的网格上）：%1</translation>
    </message>
    <message>
        <source>B: no second time point</source>
        <translation>B：无第二个时间点</translation>
    </message>
    <message>
        <source>Cursor: A (%1, %2, %3)</source>
        <translation>光标：A (%1, %2, %3)</translation>
    </message>
    <message>
        <source>  |  B (%1, %2, %3) in its own grid</source>
        <translation>  |  B (%1, %2, %3)（其自身网格）</translation>
    </message>
</context>
<context>
    <name>ui::ToolsPanel</name>
    <message>
        <source>Tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Painting</source>
        <translation>绘制</translation>
    </message>
    <message>
        <source>Crack</source>
        <translation>裂纹</translation>
    </message>
    <message>
        <source>Not crack</source>
        <translation>非裂纹</translation>
    </message>
    <message>
        <source>The class brush, 3D brush, polygon and flood fill write</source>
        <translation>画笔、三维画笔、多边形和漫水填充写入的类别</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source> voxels</source>
        <translation> 体素</translation>
    </message>
    <message>
        <source>Brush diameter ([ and ] change it)</source>
        <translation>画笔直径（用 [ 和 ] 调整）</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Only unlabelled</source>
        <translation>仅未标注</translation>
    </message>
    <message>
        <source>Only not crack</source>
        <translation>仅非裂纹</translation>
    </message>
    <message>
        <source>Only crack</source>
        <translation>仅裂纹</translation>
    </message>
    <message>
        <source>Which voxels the tools may overwrite</source>
        <translation>工具可以覆盖哪些体素</translation>
    </message>
    <message>
        <source>Paint over</source>
        <translation>覆盖</translation>
    </message>
    <message>
        <source>Only intensities in</source>
        <translation>仅限灰度范围</translation>
    </message>
    <message>
        <source>Threshold-limited painting: only voxels whose grey value lies in the range</source>
        <translation>阈值限制绘制：仅绘制灰度值在此范围内的体素</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Flood fill takes connected voxels within this many grey values of the clicked one</source>
        <translation>漫水填充选取与单击体素灰度差在此范围内的相连体素</translation>
    </message>
    <message>
        <source>Flood tolerance</source>
        <translation>填充容差</translation>
    </message>
    <message>
        <source>Slices</source>
        <translation>切片</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
</context>
<context>
    <name>ui::TrainingCharts</name>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>training (per step)</source>
        <translation>训练（每步）</translation>
    </message>
    <message>
        <source>validation (per epoch)</source>
        <translation>验证（每轮）</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>Validation Dice</source>
        <translation>验证 Dice</translation>
    </message>
    <message>
        <source>Dice (per epoch)</source>
        <translation>Dice（每轮）</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
</context>
<context>
    <name>ui::TrainingController</name>
    <message>
        <source>CUDA: GPU 0, as requested</source>
        <translation>CUDA：GPU 0（按要求）</translation>
    </message>
    <message>
        <source>CUDA was requested, but this build&apos;s LibTorch or this machine has no CUDA GPU: training will fail</source>
        <translation>已请求 CUDA，但此版本的 LibTorch 或本机没有 CUDA GPU：训练将会失败</translation>
    </message>
    <message numerus="yes">
        <source>CPU (%n thread(s), one core left for the window), as requested</source>
        <translation>
            <numerusform>CPU（%n 个线程，留一个核心给窗口）（按要求）</numerusform>
        </translation>
    </message>
    <message>
        <source>CUDA: GPU 0 (Auto picks the GPU when there is one)</source>
        <translation>CUDA：GPU 0（“自动”在有 GPU 时选择 GPU）</translation>
    </message>
    <message numerus="yes">
        <source>CPU (%n thread(s), one core left for the window): this build&apos;s LibTorch or this machine has no CUDA GPU</source>
        <translation>
            <numerusform>CPU（%n 个线程，留一个核心给窗口）：此版本的 LibTorch 或本机没有 CUDA GPU</numerusform>
        </translation>
    </message>
    <message>
        <source>A training is already running.</source>
        <translation>已有训练正在运行。</translation>
    </message>
    <message>
        <source>Open a volume and label some slices first.</source>
        <translation>请先打开体数据并标注一些切片。</translation>
    </message>
    <message>
        <source>No labelled voxel: paint crack and not-crack labels on some slices (or mark slices fully annotated) before training.</source>
        <translation>没有已标注的体素：训练前请在一些切片上绘制裂纹和非裂纹标注（或将切片标记为已完整标注）。</translation>
    </message>
    <message>
        <source>Starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <source>Stopping after the current batch...</source>
        <translation>将在当前批次后停止…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Stopped before the first epoch ended: no checkpoint was written.</source>
        <translation>在第一轮结束前停止：未写入检查点。</translation>
    </message>
    <message>
        <source>Stopped; kept %1</source>
        <translation>已停止；保留 %1</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>CUDA was requested, but the GPU fails to start (%1): training will fail</source>
        <translation>已请求 CUDA，但 GPU 无法启动（%1）：训练将失败</translation>
    </message>
    <message numerus="yes">
        <source>CPU (%n thread(s), one core left for the window): the GPU fails to start (%1)</source>
        <translation>
            <numerusform>CPU（%n 个线程，为窗口保留一个核心）：GPU 无法启动（%1）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This volume has %n slice(s), too few for a 2.5D model that sees %1 neighbour slice(s) above and below: it needs at least %2. Set &quot;Neighbour slices (2.5D)&quot; to 0 to train a 2D model.</source>
        <translation>
            <numerusform>此体数据有 %n 张切片，对于上下各看 %1 张相邻切片的 2.5D 模型太少：至少需要 %2 张。将“相邻切片（2.5D）”设为 0 以训练 2D 模型。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This volume has %n slice(s), too few for the model to fine-tune, a 2.5D model that sees %1 neighbour slice(s) above and below: it needs at least %2. Train a 2D model from scratch instead.</source>
        <translation>
            <numerusform>此体数据有 %n 张切片，对于要微调的模型（上下各看 %1 张相邻切片的 2.5D 模型）太少：至少需要 %2 张。请改为从头训练 2D 模型。</numerusform>
        </translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
</context>
<context>
    <name>ui::TrainingDock</name>
    <message>
        <source>Train and predict</source>
        <translation>训练和预测</translation>
    </message>
    <message>
        <source>Training settings</source>
        <translation>训练设置</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
</context>
<context>
    <name>ui::TrainingPanel</name>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Train from scratch</source>
        <translation>从头训练</translation>
    </message>
    <message>
        <source>Fine-tune current model</source>
        <translation>微调当前模型</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stops after the current batch and keeps the last good checkpoint</source>
        <translation>在当前批次后停止，并保留最后一个有效检查点</translation>
    </message>
    <message>
        <source>Not running</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>Fine-tuning needs a CDNet checkpoint as the current model (train one or load one); an imported TorchScript model cannot be fine-tuned.</source>
        <translation>微调需要以 CDNet 检查点作为当前模型（训练或加载一个）；导入的 TorchScript 模型无法微调。</translation>
    </message>
    <message>
        <source>Epoch %1: training loss %2 (no validation slices)</source>
        <translation>第 %1 轮：训练损失 %2（无验证切片）</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Share of the labelled slices (the last ones) held out for validation</source>
        <translation>留作验证的已标注切片比例（取最后的切片）</translation>
    </message>
    <message>
        <source>Validation split</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <source>Paper (base width 64)</source>
        <translation>论文配置（基础宽度 64）</translation>
    </message>
    <message>
        <source>Medium (32)</source>
        <translation>中等（32）</translation>
    </message>
    <message>
        <source>Small (16)</source>
        <translation>小（16）</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>until the time budget</source>
        <translation>直到时间预算用完</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>no budget</source>
        <translation>无预算</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Time budget</source>
        <translation>时间预算</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Side of the random training crops (a multiple of 32, at most the slice)</source>
        <translation>随机训练裁剪块的边长（32 的倍数，不超过切片尺寸）</translation>
    </message>
    <message>
        <source>Crop</source>
        <translation>裁剪块</translation>
    </message>
    <message>
        <source>auto (cover the slices once)</source>
        <translation>自动（覆盖所有切片一次）</translation>
    </message>
    <message>
        <source>Optimiser steps per epoch; validation and checkpoints follow each epoch</source>
        <translation>每轮的优化步数；每轮结束后进行验证并保存检查点</translation>
    </message>
    <message>
        <source>Steps per epoch</source>
        <translation>每轮步数</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
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
        <translation>设备</translation>
    </message>
    <message>
        <source>No labelled slice yet: label cracks and background on a few slices, or mark slices fully annotated.</source>
        <translation>尚无已标注的切片：请在几张切片上标注裂纹和背景，或将切片标记为已完整标注。</translation>
    </message>
    <message>
        <source>Slices that will train: %1 fully annotated, %2 partially labelled (%3 of them held out for validation).</source>
        <translation>将用于训练的切片：%1 张已完整标注，%2 张部分标注（其中 %3 张留作验证）。</translation>
    </message>
    <message>
        <source>%1 — elapsed %2, about %3 left</source>
        <translation>%1 — 已用 %2，约剩 %3</translation>
    </message>
    <message>
        <source>%1 — took %2</source>
        <translation>%1 — 用时 %2</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message>
        <source>Fine-tune the starter model</source>
        <translation>微调入门模型</translation>
    </message>
    <message>
        <source>No model is loaded: training starts from the starter model that ships with CDNet Studio (pretrained on phantoms), which learns faster than from scratch</source>
        <translation>未加载模型：训练将从 CDNet Studio 自带的入门模型（在模拟体数据上预训练）开始，比从头训练学得更快</translation>
    </message>
    <message numerus="yes">
        <source>Epoch %1: training loss %2, validation loss %3, Dice %4 on %5 labelled voxels (%6 crack) of %n validation slice(s)</source>
        <translation>
            <numerusform>第 %1 轮：训练损失 %2，验证损失 %3，Dice %4（基于 %n 张验证切片上的 %5 个已标注体素，其中裂纹 %6 个）</numerusform>
        </translation>
    </message>
    <message>
        <source>The paper&apos;s network (64) wants a GPU; on a CPU the small one (16) trains about 16 times faster. The default follows this machine.</source>
        <translation>论文中的网络（64）需要 GPU；在 CPU 上小网络（16）训练快约 16 倍。默认值取决于本机。</translation>
    </message>
    <message>
        <source>0 (2D)</source>
        <translation>0（2D）</translation>
    </message>
    <message>
        <source>2.5D input: the model sees K slices above and below the slice it segments (2K+1 input channels); 0 = 2D. Needs a volume of at least 2K+1 slices. Applies to a new model: fine-tuning keeps the model&apos;s own.</source>
        <translation>2.5D 输入：模型同时看到所分割切片上下各 K 张切片（2K+1 个输入通道）；0 = 2D。体数据至少需要 2K+1 张切片。仅用于新模型：微调保留模型自身的设置。</translation>
    </message>
    <message>
        <source>Neighbour slices (2.5D)</source>
        <translation>相邻切片（2.5D）</translation>
    </message>
    <message>
        <source>BCE (the paper&apos;s)</source>
        <translation>BCE（论文方法）</translation>
    </message>
    <message>
        <source>BCE + soft Dice</source>
        <translation>BCE + 软 Dice</translation>
    </message>
    <message>
        <source>BCE + soft clDice (experimental)</source>
        <translation>BCE + 软 clDice（实验性）</translation>
    </message>
    <message>
        <source>Loss over labelled voxels: binary cross-entropy, optionally plus soft Dice or soft centreline Dice (clDice), which weigh thin cracks more</source>
        <translation>在已标注体素上的损失：二元交叉熵，可另加软 Dice 或软中心线 Dice（clDice），更重视细裂纹</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>Constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <source>Cosine (warm-up, then down to 1/100)</source>
        <translation>余弦（预热后降至 1/100）</translation>
    </message>
    <message>
        <source>Cosine: a short warm-up, then the learning rate falls to 1/100 over the epochs or the time budget</source>
        <translation>余弦：短暂预热后，学习率在各轮次或时间预算内降至 1/100</translation>
    </message>
    <message>
        <source>Learning-rate schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>An imported TorchScript model cannot be fine-tuned: train from scratch, or load a CDNet checkpoint</source>
        <translation>导入的 TorchScript 模型无法微调：请从头训练，或加载 CDNet 检查点</translation>
    </message>
    <message>
        <source>The current model is 2.5D (%1 neighbour slice(s) above and below) and needs at least %2 slices; this volume has %3. Fine-tuning keeps the model&apos;s network: train from scratch with &quot;Neighbour slices (2.5D)&quot; at 0 instead.</source>
        <translation>当前模型为 2.5D（上下各 %1 张相邻切片），至少需要 %2 张切片；此体数据只有 %3 张。微调保留模型的网络：请改为将“相邻切片（2.5D）”设为 0 从头训练。</translation>
    </message>
    <message>
        <source>Starts from the current model&apos;s weights and keeps its network (base width %1, %2 neighbour slice(s) above and below): the Network and Neighbour slices settings apply to training from scratch only</source>
        <translation>从当前模型的权重开始并保留其网络（基础宽度 %1，上下各 %2 张相邻切片）：“网络”和“相邻切片”设置仅用于从头训练</translation>
    </message>
    <message>
        <source>Augmentations (rotation, shear, zoom, flips)</source>
        <translation>数据增强（旋转、剪切、缩放、翻转）</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>Auto (bf16 where the processor has it)</source>
        <translation>自动（处理器支持时使用 bf16）</translation>
    </message>
    <message>
        <source>bf16</source>
        <translation>bf16</translation>
    </message>
    <message>
        <source>Arithmetic of the training steps on a CPU. bf16 (weights and optimiser stay fp32) runs faster where the processor computes it natively (AVX512_BF16 or AMX; this one: %1) and is refused elsewhere; Auto picks it where available. A GPU keeps its own mixed precision.</source>
        <translation>CPU 上训练步骤的数值精度。bf16（权重和优化器仍为 fp32）在处理器原生支持时（AVX512_BF16 或 AMX；本机：%1）更快，否则会被拒绝；“自动”在可用时选用它。GPU 保持其自身的混合精度。</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
</context>
<context>
    <name>ui::UnsavedLabels</name>
    <message>
        <source>Unsaved labels</source>
        <translation>未保存的标签</translation>
    </message>
    <message>
        <source>The labels of %1 have unsaved changes. Save them?</source>
        <translation>%1 的标签有未保存的更改。是否保存？</translation>
    </message>
    <message>
        <source>Saving writes only the chunks you painted to %1.</source>
        <translation>保存时只将您绘制过的分块写入 %1。</translation>
    </message>
    <message>
        <source>Cannot save the labels: %1</source>
        <translation>无法保存标签：%1</translation>
    </message>
</context>
<context>
    <name>ui::ViewFrame</name>
    <message>
        <source>Reset the camera</source>
        <translation>重置相机</translation>
    </message>
    <message>
        <source>Slice</source>
        <translation>切片</translation>
    </message>
    <message>
        <source>Reset the view (R)</source>
        <translation>重置视图（R）</translation>
    </message>
    <message>
        <source>Maximise this view (double-click the view)</source>
        <translation>最大化此视图（双击视图）</translation>
    </message>
    <message>
        <source>Restore the four views</source>
        <translation>恢复四视图</translation>
    </message>
</context>
<context>
    <name>ui::VolumeView3D</name>
    <message>
        <source>Crack surface</source>
        <translation>裂纹表面</translation>
    </message>
    <message>
        <source>Reading a coarse level for the 3D view</source>
        <translation>正在为三维视图读取粗分辨率层级</translation>
    </message>
</context>
<context>
    <name>ui::VoxelStatus</name>
    <message>
        <source>unlabelled</source>
        <translation>未标注</translation>
    </message>
    <message>
        <source>not crack</source>
        <translation>非裂纹</translation>
    </message>
    <message>
        <source>crack</source>
        <translation>裂纹</translation>
    </message>
    <message>
        <source>label %1</source>
        <translation>标注 %1</translation>
    </message>
    <message>
        <source>value %1</source>
        <translation>值 %1</translation>
    </message>
    <message>
        <source>prediction %1</source>
        <translation>预测 %1</translation>
    </message>
</context>
</TS>
