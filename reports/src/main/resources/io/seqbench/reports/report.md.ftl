<#-- The comparison report as Markdown: the same model as index.html, laid out as GitHub-flavoured tables. -->
<#function c s><#return s?replace("|", "\\|")?replace("\n", " ")></#function>
# SeqBench report<#if r.suite??>: suite `${r.suite.name}`</#if>

Generated ${r.generated} from the run records in `${r.runsDir}`: ${r.counts.total} runs, ${r.counts.completed} completed<#if r.counts.failed gt 0>, ${r.counts.failed} failed</#if><#if r.counts.interrupted gt 0>, ${r.counts.interrupted} interrupted</#if><#if r.counts.running gt 0>, ${r.counts.running} still running</#if><#if r.counts.unreadable gt 0>, ${r.counts.unreadable} unreadable</#if>. Every number is read from those records (and the kernel benchmark JSON).
<#if r.notes?has_content>

<#list r.notes as n>
> ${n}
</#list>
</#if>
<#if r.suite??>

## Suite `${r.suite.name}`

${r.suite.description}
<#if r.suite.expected?has_content>

Expected outcome (written down before running):

<#list r.suite.expected as e>
- ${e}
</#list>
</#if>
</#if>
<#if r.results??>

## Results matrix

Final held-out metric at the training length: mean over completed seeds (min–max over seeds in brackets); **bold** is the best value of the task.

| Task | Metric |<#list r.results.columns as col> ${c(col.label)} |</#list> Reference |
|---|---|<#list r.results.columns as col>---:|</#list>---|
<#list r.results.rows as row>
| ${c(row.task)} | ${c(row.metric)}, ${row.better} is better |<#list row.cells as cell> <#if cell.best>**${c(cell.text)}**<#else>${c(cell.text)}</#if> |</#list> ${c(row.reference)} |
</#list>
</#if>
<#list r.sections as s>

## ${s.title}

${s.intro}
<#list s.notes as n>

> ${n}
</#list>
<#list s.charts as ch>

![${ch.title}](charts/${ch.file}.png)

**${ch.title}.** ${ch.caption} ([SVG](charts/${ch.file}.svg))
<#if ch.unmeasured?has_content>

| Series | Point | Status | Why |
|---|---|---|---|
<#list ch.unmeasured as u>
| ${c(u.series)} | ${c(u.what)} | ${c(u.status)} | ${c(u.note)} |
</#list>
</#if>
</#list>
<#list s.tables as t>
<#if t.rows?has_content>

${t.caption}

|<#list t.header as h> ${c(h)} |</#list>
|<#list t.header as h>---|</#list>
<#list t.rows as row>
|<#list row as v> ${c(v)} |</#list>
</#list>
</#if>
</#list>
</#list>
<#if r.papers?has_content>

## Paper tables beside SeqBench

Columns marked *paper* are the paper's published numbers, typed in by the suite's authors from the source given; nothing in them was measured here. Columns marked *SeqBench* are measured on this machine at the suite's (much smaller) scale.
<#list r.papers as p>

### ${p.title}

Source: ${p.source}. Metric: ${p.metric}.
<#if p.setup?has_content>

**Setup differences:** ${p.setup}
</#if>

${p.measured}

| Model (paper's name) | SeqBench run |<#list p.columns as col> paper: ${c(col)} |</#list><#list p.columns as col> SeqBench: ${c(col)} |</#list> Note |
|---|---|<#list p.columns as col>---:|</#list><#list p.columns as col>---:|</#list>---|
<#list p.rows as row>
| ${c(row.label)} | `${row.run}` |<#list row.paper as v> ${c(v)} |</#list><#list row.ours as v> ${c(v)} |</#list> ${c(row.note)} |
</#list>
</#list>
</#if>

## Runs

| Run | Kind | Model | Task | Status | Steps | Parameters | Final result | Wall time | Reason / problems |
|---|---|---|---|---|---:|---:|---|---:|---|
<#list r.runs as run>
| **${c(run.name)}** `${run.id}` | ${run.kind} | ${c(run.model)} | ${c(run.task)} | ${run.status} | ${run.steps} | ${run.parameters} | ${c(run.result)} | ${run.wall} | ${c(run.reason)}<#if run.problems?has_content> ${c(run.problems)}</#if> |
</#list>
<#if r.unmeasured?has_content>

## Failures and unmeasured points

| Run | What | Status | Reason |
|---|---|---|---|
<#list r.unmeasured as u>
| ${c(u.series)} | ${c(u.what)} | ${c(u.status)} | ${c(u.note)} |
</#list>
</#if>

## Environment

| Runs | Hardware | OS and Java | ND4J | Threads | Max heap | Commit | Host |
|---|---|---|---|---:|---:|---|---|
<#list r.environments as e>
| ${c(e.runs)} | ${c(e.hardware)} | ${c(e.software)} | ${c(e.nd4j)} | ${e.threads} | ${e.heap} | `${e.commit}` | ${c(e.host)} |
</#list>
