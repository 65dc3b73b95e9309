import type { FindingCode } from '../../diagnostics/findings.js';

interface FindingText {
  readonly title: string;
  readonly detail: string;
  /** What to type or do next, at a terminal. */
  readonly action: string;
}

/**
 * `wattlet diagnose` in plain English for a terminal: the findings of the Diagnostics page, with
 * actions that name commands and options instead of the page's buttons. Every finding code has
 * an entry (the type checks it).
 */
export const diagnoseText = {
  header: 'Wattlet diagnostics',
  usb: 'USB',
  devices: 'Devices',
  noFamily: 'none',
  serialPorts: 'Serial ports: {count}',
  findings: 'Findings',
  whatToDo: 'What to do',
  suggest: 'The auto-probe heard the meter at {suggestedLine} ({suggestedProtocol}).',
  bundleWritten: 'Support bundle written: {file} ({bytes} bytes, sha256 {sha256})',
  severity: { blocking: 'BLOCKING', warning: 'WARNING', info: 'NOTE', ok: 'OK' },
  access: {
    free: 'free',
    'in-use': 'in use by wattlet',
    claimed: 'claimed by another driver',
    'permission-denied': 'permission denied',
    gone: 'unplugged',
    unknown: 'access unknown',
  },
  outcomes: { ok: 'meter found', 'no-data': 'no data', garbled: 'garbled bytes', checksum: 'checksum errors', timeout: 'no answer', error: 'error', cancelled: 'cancelled' },
  codes: {
    NO_USB_SUBSYSTEM: {
      title: 'This computer gives programs no access to USB',
      detail: 'There is no USB bus wattlet can see ({detail}): a container, a virtual machine without USB passthrough or a sandbox.',
      action: 'Run wattlet on the computer the meter cable is plugged into, or pass the USB device through to the virtual machine. If the cable shows up as a serial port ({serialPorts} found), read it with wattlet meter read --path os.',
    },
    USB_UNAVAILABLE: {
      title: 'USB is not available',
      detail: '{detail}',
      action: 'Run the command again. If this stays, write a support bundle (wattlet diagnose --bundle FILE) and send it to support.',
    },
    PERMISSION_DENIED: {
      title: 'No permission to open the meter cable ({device})',
      detail: 'The operating system does not let your user account open this USB adapter.',
      action: 'On Linux, install wattlet’s udev rule with the command below, then unplug the cable and plug it in again. On Windows or macOS, close other programs that use the cable.',
    },
    INTERFACE_CLAIMED: {
      title: 'Another driver holds the meter cable ({device})',
      detail: 'The adapter is held by a kernel driver {driver} or by another program, and wattlet could not take it over.',
      action: 'Close other programs that use the cable (serial terminals, ModemManager; on Linux, brltty grabs CH340 cables), or read through the operating system serial port: wattlet meter read --path os.',
    },
    UNPLUGGED: {
      title: 'The meter cable was unplugged',
      detail: 'The adapter {device} is no longer connected.',
      action: 'Plug the cable back in and run wattlet diagnose again. If it keeps dropping out, try another USB port or a shorter cable, and avoid unpowered hubs.',
    },
    NO_ADAPTER: {
      title: 'No meter cable found',
      detail: 'None of the {usbDevices} USB devices is an adapter wattlet can drive, and there are no serial ports.',
      action: 'Plug in the meter cable. If it is plugged in, note its VID:PID (wattlet meter list) and send a support bundle.',
    },
    UNSUPPORTED_ADAPTER: {
      title: 'This adapter is not supported',
      detail: '{detail}',
      action: 'Use a cable with an FTDI, CP210x, CH340, PL2303 or CDC-ACM chip, or read through the operating system serial port (--path os).',
    },
    NO_DATA_P1: {
      title: 'No data from the meter’s P1 port at {line}',
      detail: 'The link has been open for {seconds} s and the meter has sent nothing.',
      action: 'The P1 port may be disabled: ask your grid operator to enable it, and push the cable fully into the P1 (RJ12) socket. wattlet meter read --baud 115200 shows whether any byte arrives.',
    },
    NO_DATA: {
      title: 'No data from the meter at {line}',
      detail: 'The link ({protocol}) has been open for {seconds} s and nothing has arrived.',
      action: 'Check that the cable sits on the meter’s port and that the meter uses this speed; wattlet diagnose --probe tries the usual settings.',
    },
    NO_ANSWER: {
      title: 'The meter does not answer',
      detail: '{timeouts} requests at {line} got no answer.',
      action: 'Check that the optical head sits straight on the meter’s optical port and the meter address; wattlet diagnose --probe sends each protocol’s discovery request.',
    },
    CHECKSUM_EVERY_FRAME: {
      title: 'Every telegram fails its checksum',
      detail: '{checksumErrors} telegrams at {line} arrived damaged and none was good.',
      action: 'Usually a wrong speed or a faulty cable: run wattlet diagnose --probe; if the speed is right, try another cable.',
    },
    CHECKSUM_SOME: {
      title: 'Some telegrams arrive damaged ({percent}%)',
      detail: '{checksumErrors} checksum and {framingErrors} framing errors against {framesOk} good frames.',
      action: 'A loose plug, a long cable or electrical noise can cause this: re-seat the cable or try a shorter one, then compare the counts with another wattlet diagnose.',
    },
    WRONG_SPEED: {
      title: 'The meter and wattlet disagree on the speed',
      detail: '{bytesIn} bytes arrived at {line} but none formed a frame; the adapter saw {uartErrors} character errors.',
      action: 'Find the meter’s speed and format with wattlet diagnose --probe, then use them for the connection.',
    },
    TIMEOUTS_SOME: {
      title: 'Some requests time out',
      detail: '{timeouts} timeouts against {framesOk} answers.',
      action: 'Check that the optical head is aligned and nothing covers the port, then compare the counts with another wattlet diagnose.',
    },
    RECONNECTS: {
      title: 'The link dropped {count} times in {minutes} minutes',
      detail: 'wattlet had to reopen the cable again and again; the reasons are in the support bundle (--bundle FILE).',
      action: 'Re-seat the cable, try another USB port, and turn off USB power saving (autosuspend) for the port.',
    },
    LINK_STALLED: {
      title: 'Data stopped {secondsAgo} s ago',
      detail: 'Frames arrived before; nothing has arrived since.',
      action: 'Check the cable. Some meters pause the P1 port after a power cut: wait a minute, unplug and re-plug the cable, then run wattlet diagnose again.',
    },
    LINK_OK: {
      title: 'The meter link works',
      detail: '{framesOk} good frames ({protocol}, {line}).',
      action: 'Nothing to do; wattlet meter read shows the raw bytes if support asks for them.',
    },
    NO_LINK: {
      title: 'No meter connection is running',
      detail: '{adapters} adapter(s) and {serialPorts} serial port(s) found, but no meter session is open.',
      action: 'Start reading the meter in the app, or find its settings with wattlet diagnose --probe.',
    },
    PROBE_FOUND: {
      title: 'The auto-probe found the meter',
      detail: '{protocol} at {line}, after {attempts} attempt(s).',
      action: 'Use these settings for the meter connection (wattlet meter read --baud and --format).',
    },
    PROBE_NOTHING: {
      title: 'The auto-probe found no meter',
      detail: 'Tried: {tried}.',
      action: 'If no attempt received any bytes, check the cable and the meter’s port; if bytes arrived but nothing decoded, write a support bundle (--bundle FILE) and send it to support.',
    },
  } satisfies Record<FindingCode, FindingText>,
} as const;
