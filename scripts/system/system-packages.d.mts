// Types for system-packages.mjs (plain JavaScript so npm can run it before anything is built).

export type Family = 'debian' | 'fedora' | 'arch' | 'macos';
export type Purpose = 'build' | 'test' | 'qemu';

export type RequirementName =
  | 'python3' | 'make' | 'g++' | 'pkg-config' | 'libsecret-1 (headers)'
  | 'chromium' | 'socat' | 'dbus-daemon' | 'dbus-send' | 'gnome-keyring-daemon'
  | 'qemu-system-x86_64' | 'busybox (static)' | 'cpio' | 'apt-get';

export interface Requirement {
  readonly name: RequirementName;
  readonly purpose: Purpose;
  readonly probe: { readonly command?: string | (() => string); readonly file?: () => string; readonly pkgConfig?: string };
  readonly packages: Readonly<Record<Family, string | null>>;
  readonly note?: string;
  readonly unavailable?: string;
}

export const FAMILIES: readonly Family[];
export const REQUIREMENTS: readonly Requirement[];
export function detectFamily(osRelease?: Readonly<Record<string, string>>, platform?: NodeJS.Platform): Family | null;
export function findCommand(name: string, path?: string): string | null;
export function isPresent(requirement: Requirement): boolean;
export function missingRequirements(purposes: readonly Purpose[]): Requirement[];
export function packagesFor(requirements: readonly Requirement[], family: Family): string[];
export function installCommand(requirements: readonly Requirement[], family: Family): string | null;
export function installCommandsForAll(requirements: readonly Requirement[]): string;
export function missingLine(requirement: Requirement, family?: Family | null): string;
export function canInstallWithApt(family?: Family | null): boolean;
export function aptInstall(packages: readonly string[]): void;
