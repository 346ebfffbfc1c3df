/**
 * The comparison report: built from run records (and kernel benchmark JSON) only, it never trains or measures.
 *
 * <p>The pipeline, one step per type:
 * <ol>
 *   <li>{@link io.seqbench.reports.ReportBuilder} loads the records ({@code RunRecords}), keeps a suite's runs
 *       (by resolved-spec hash) and refuses a missing, empty or unreadable runs folder with a clear message;</li>
 *   <li>{@code Catalog} names what the records hold: runs that differ only by seed form one {@code RunGroup}
 *       (mean and min–max over seeds), each model config of a type is a variant (line style, marker), each
 *       task config a task;</li>
 *   <li>the sections compute what to draw as plain data ({@code ChartSpec}, {@code BarChartSpec}) and tables:
 *       {@code ResultsMatrix}, {@code LearningCurves}, {@code LengthGeneralization}, {@code ProbeCharts},
 *       {@code ModelSizes}, {@code KernelBenchmarks}, {@code PaperComparison}, {@code RunTable},
 *       {@code Environments};</li>
 *   <li>{@code Charts} draws each spec with XChart as PNG and SVG, colours from {@code Palette} (one per
 *       architecture, fixed);</li>
 *   <li>FreeMarker templates lay out the {@link io.seqbench.reports.ReportModel} as {@code index.html} and
 *       {@code report.md}; the folder is written beside the target and moved into place.</li>
 * </ol>
 *
 * <p>Glossary: a <em>run</em> is one record folder; a <em>group</em> the runs of one experiment over seeds; a
 * <em>variant</em> one model config of an architecture type; <em>L</em> the sequence (or context) length;
 * <em>unmeasured</em> a point a run could not measure (out of memory, timeout, unsupported length) or a run that
 * did not complete: always shown with its reason, never dropped.
 */
package io.seqbench.reports;
