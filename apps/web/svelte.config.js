// Svelte 5 compiles <script lang="ts"> itself (type stripping); no preprocessor needed.
export default {};
