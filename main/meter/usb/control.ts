import { WattletError, type ErrorFacts } from '../../api/errors.js';
import { isTransferTimeout, usbError } from './usb-errors.js';
import { hex4, resultBytes, type UsbControlSetup, type UsbDeviceLike } from './usb-device.js';

const CONTROL_TIMEOUT_MS = 1000;

function describe(s: UsbControlSetup): ErrorFacts {
  return { requestType: s.requestType, recipient: s.recipient, request: s.request, value: hex4(s.value), index: hex4(s.index) };
}

/**
 * Control transfers with the `usb` 3.1 defects smoothed over: an OUT without data must still
 * pass an empty Uint8Array (it throws otherwise), and a stall may either reject or resolve
 * with status 'stall' depending on the backend — both become METER_ADAPTER_REFUSED.
 */
export async function controlOut(device: UsbDeviceLike, setup: UsbControlSetup, data: Uint8Array = new Uint8Array(0)): Promise<void> {
  let status: string;
  try {
    status = (await device.controlTransferOut(setup, data, CONTROL_TIMEOUT_MS)).status;
  } catch (e) {
    throw usbError(e, `control request ${setup.request}`, describe(setup));
  }
  if (status !== 'ok') {
    throw new WattletError('METER_ADAPTER_REFUSED', `The adapter stalled control request ${setup.request}`, describe(setup));
  }
}

export async function controlIn(device: UsbDeviceLike, setup: UsbControlSetup, length: number): Promise<Uint8Array> {
  let result;
  try {
    result = await device.controlTransferIn(setup, length, CONTROL_TIMEOUT_MS);
  } catch (e) {
    throw usbError(e, `control request ${setup.request}`, describe(setup));
  }
  if (result.status !== 'ok') {
    throw new WattletError('METER_ADAPTER_REFUSED', `The adapter stalled control request ${setup.request}`, describe(setup));
  }
  return resultBytes(result);
}

/**
 * Claim an interface; when a kernel driver holds it (Linux ftdi_sio, cp210x, ch341, pl2303,
 * cdc_acm), detach it and try once more. `usb` 3.x rejects detachKernelDriver when no driver is
 * bound, so a failed detach is only reported if the second claim fails too.
 */
export async function claimInterface(device: UsbDeviceLike, interfaceNumber: number): Promise<void> {
  try {
    await device.claimInterface(interfaceNumber);
    return;
  } catch (first) {
    const firstError = usbError(first, `claiming interface ${interfaceNumber}`, { interfaceNumber });
    if (firstError.code !== 'METER_INTERFACE_CLAIMED' || !device.detachKernelDriver) {
      if (firstError.code === 'METER_INTERFACE_CLAIMED') {
        throw new WattletError('METER_INTERFACE_CLAIMED', firstError.message, {
          ...firstError.facts,
          canDetach: false,
        });
      }
      throw firstError;
    }
    let detachProblem = '';
    try {
      await device.detachKernelDriver(interfaceNumber);
    } catch (e) {
      detachProblem = e instanceof Error ? e.message : String(e);
    }
    try {
      await device.claimInterface(interfaceNumber);
    } catch (second) {
      throw new WattletError(
        'METER_INTERFACE_CLAIMED',
        `Interface ${interfaceNumber} is held by another program (no kernel driver could be detached)`,
        { ...firstError.facts, canDetach: true, detachProblem: detachProblem.slice(0, 160) },
        { cause: second },
      );
    }
  }
}

export { isTransferTimeout };
