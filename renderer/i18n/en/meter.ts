// English strings of the meter domain. Keys mirror renderer/i18n/zh-CN/meter.ts exactly (the type checks it).
// Error codes of the domain are translated under `errors`, with {fact} placeholders.
export const meter = {
  errors: {} as Record<string, string>,
};
