// English strings of the meter events list (History page). Keys mirror renderer/i18n/zh-CN/meter-events.ts (the type checks it).
export const meterEvents = {
  heading: 'Meter changes and skipped readings',
  none: 'None in this range: every reading continued the one before.',
  swap: {
    title: 'Meter replaced or reset ({at})',
    body: "The register started again: the last reading before was {beforeValue} kWh ({beforeAt}), the first after {value} kWh ({at}). The energy used between {from} and {to} is unknown and shows as a gap; the history goes on from the new register.",
  },
  jump: {
    title: 'Impossible jump in the register ({at})',
    body: 'The register went from {beforeValue} kWh ({beforeAt}) to {value} kWh ({at}), more than any household can use in that time. The energy between {from} and {to} is unknown and shows as a gap.',
  },
  glitch: {
    title: 'One reading skipped ({at})',
    body: 'The meter reported {value} kWh between {beforeValue} kWh and a reading that continued from it: a glitch. It was left out; no energy was lost.',
  },
};
