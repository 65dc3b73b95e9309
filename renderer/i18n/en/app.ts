// English strings of the app domain. Keys mirror renderer/i18n/zh-CN/app.ts exactly (the type checks it).
// Error codes of the domain are translated under `errors`, with {fact} placeholders.
export const app = {
  errors: {} as Record<string, string>,
};
