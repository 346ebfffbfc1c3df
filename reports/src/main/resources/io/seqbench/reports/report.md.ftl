# SeqBench report

Generated ${generated} from the run records in `${runsDir}`.

## Runs

| Run | Model | Task | Status | Steps | Parameters | Metric | Final value | Wall time | Notes |
|---|---|---|---|---:|---:|---|---:|---:|---|
<#list runs as r>
| `${r.id}` | ${r.model} | ${r.task} | ${r.status} | ${r.steps} | ${r.parameters} | ${r.metric} | ${r.value} | ${r.wall} | ${r.failure}<#if r.problems?has_content> ${r.problems}</#if> |
</#list>

## Learning curves

<#list charts as c>
![${c.title}](charts/${c.file}.png)

${c.caption}

</#list>
