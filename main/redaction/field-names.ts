/**
 * Redaction by field name: a field named like a secret, a label or a place is replaced whole,
 * whatever it holds (a keystore object, a number, a short word no shape rule would notice).
 */
export type KeyClass = 'secret' | 'label' | 'location' | 'address' | 'identifier' | 'chain-hash' | null;

const normKey = (k: string) => k.toLowerCase().replace(/[^a-z0-9]/g, '');

// Normalized: lowercase, no separators.
const SECRET_KEYS = new Set([
  'privatekey', 'mnemonic', 'seed', 'seedphrase', 'secret', 'password', 'passphrase', 'passwd', 'pwd', 'token',
  'accesstoken', 'refreshtoken', 'authtoken', 'apikey', 'apisecret', 'authorization', 'auth', 'cookie', 'keystore',
  'key', 'smartykey', 'decryptionkey', 'encryptionkey', 'authkey', 'credential', 'credentials', 'xprv', 'extendedkey',
  'signature', 'sessiontoken', 'bearer', 'pin', 'word', 'words', 'phrase', 'recoveryphrase', 'recoverywords', 'backupwords',
  'entropy', 'wif',
]);
const SECRET_KEY_PARTS = ['privatekey', 'mnemonic', 'secret', 'password', 'passphrase', 'token', 'apikey', 'seedphrase', 'credential', 'recoveryword', 'xprv'];
const LABEL_KEYS = new Set([
  'label', 'labels', 'accountlabel', 'nickname', 'alias', 'accountname', 'walletname', 'householdname', 'fullname',
  'username', 'user', 'owner', 'ownername', 'email', 'phone', 'customername', 'displayname',
]);
const LOCATION_KEYS = new Set([
  'latitude', 'longitude', 'lat', 'lon', 'lng', 'location', 'geo', 'geolocation', 'coordinates', 'city', 'street',
  'streetaddress', 'postcode', 'postalcode', 'zip', 'zipcode', 'country', 'region', 'timezone', 'tz', 'ip',
  'ipaddress', 'remoteaddress', 'hostname', 'mac', 'macaddress', 'homedir', 'home',
]);
const ADDRESS_KEYS = new Set(['address', 'addresses', 'account', 'accounts', 'from', 'to', 'seller', 'buyer', 'wallet', 'contractaddress']);
// Fields that carry an identifier of the household's equipment or contract: hashed, not dropped.
const IDENTIFIER_KEYS = new Set([
  'meterid', 'serialnumber', 'serial', 'equipmentid', 'serverid', 'meteraddress', 'meternumber', 'deviceserial',
  'customerid', 'ean', 'eancode', 'connectionid', 'accountnumber', 'contractnumber', 'gasmeterid',
]);
// Public chain data: kept in the household's own log when it has exactly the shape of a hash.
const CHAIN_HASH_KEYS = new Set([
  'txhash', 'transactionhash', 'tx', 'blockhash', 'parenthash', 'root', 'merkleroot', 'anchorroot', 'stateroot',
  'storageroot', 'receiptsroot', 'leaf', 'leafhash', 'typehash', 'domainseparator',
]);

export function classifyKey(key: string): KeyClass {
  const k = normKey(key);
  if (IDENTIFIER_KEYS.has(k)) return 'identifier';
  if (SECRET_KEYS.has(k) || SECRET_KEY_PARTS.some((p) => k.includes(p))) return 'secret';
  if (LABEL_KEYS.has(k) || k.endsWith('label')) return 'label';
  if (LOCATION_KEYS.has(k)) return 'location';
  if (ADDRESS_KEYS.has(k)) return 'address';
  if (CHAIN_HASH_KEYS.has(k)) return 'chain-hash';
  return null;
}
