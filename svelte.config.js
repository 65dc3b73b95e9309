import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// TypeScript in <script lang="ts">, for Vite and svelte-check alike.
export default { preprocess: vitePreprocess() };
