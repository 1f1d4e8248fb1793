// A tiny JPEG crafted byte by byte, carrying an Exif APP1 segment with GPS coordinates (the kind of
// metadata a phone camera writes), and a reader of JPEG segments to check what a server kept.
//
// The image: baseline, 8×8, one grey component, every coefficient zero (mid grey). Its Huffman
// tables each hold one code of one bit ('0'): DC category 0, AC end-of-block, so the whole scan
// is the bits 00 padded with ones: 0x3F.

const u16 = (n) => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const ascii = (s) => [...Buffer.from(s, 'latin1')];

/** The latitude and longitude written (41°48'12.34" N, 87°36'56.78" W: Millbrook, in the demo). */
export const GPS = {
  latitude: [[41, 1], [48, 1], [1234, 100]],
  longitude: [[87, 1], [36, 1], [5678, 100]],
};
export const CAMERA_MAKE = 'SightlineTestCam';

/** The TIFF structure of the Exif segment: IFD0 (Make, GPSInfo pointer) and the GPS IFD. */
function exifTiff() {
  const ENTRY = 12;
  // Offsets from the start of the TIFF header.
  const ifd0 = 8;
  const ifd0Entries = 2;
  const make = ifd0 + 2 + ifd0Entries * ENTRY + 4;
  const makeBytes = [...ascii(CAMERA_MAKE), 0];
  let gpsIfd = make + makeBytes.length;
  if (gpsIfd % 2) gpsIfd += 1; // word-aligned
  const gpsEntries = 5;
  const lat = gpsIfd + 2 + gpsEntries * ENTRY + 4;
  const lon = lat + 24;
  const end = lon + 24;

  const entry = (tag, type, count, value) => [...u16(tag), ...u16(type), ...u32(count), ...value];
  const BYTE = 1;
  const ASCII = 2;
  const LONG = 4;
  const RATIONAL = 5;
  const rationals = (list) => list.flatMap(([n, d]) => [...u32(n), ...u32(d)]);

  const out = [
    ...ascii('MM'), ...u16(42), ...u32(ifd0), // big-endian TIFF header
    ...u16(ifd0Entries),
    ...entry(0x010f, ASCII, makeBytes.length, u32(make)), // Make
    ...entry(0x8825, LONG, 1, u32(gpsIfd)), // GPSInfo IFD pointer
    ...u32(0), // no next IFD
    ...makeBytes,
  ];
  while (out.length < gpsIfd) out.push(0);
  out.push(
    ...u16(gpsEntries),
    ...entry(0x0000, BYTE, 4, [2, 3, 0, 0]), // GPSVersionID
    ...entry(0x0001, ASCII, 2, [...ascii('N'), 0, 0, 0]), // GPSLatitudeRef
    ...entry(0x0002, RATIONAL, 3, u32(lat)), // GPSLatitude
    ...entry(0x0003, ASCII, 2, [...ascii('W'), 0, 0, 0]), // GPSLongitudeRef
    ...entry(0x0004, RATIONAL, 3, u32(lon)), // GPSLongitude
    ...u32(0),
    ...rationals(GPS.latitude),
    ...rationals(GPS.longitude),
  );
  if (out.length !== end) throw new Error(`exif layout: ${out.length} != ${end}`);
  return out;
}

function segment(marker, payload) {
  return [0xff, marker, ...u16(payload.length + 2), ...payload];
}

/** An 8×8 grey JPEG; with `gps`, an Exif APP1 segment with GPS tags right after SOI. */
export function craftJpeg({ gps = true } = {}) {
  const bytes = [0xff, 0xd8]; // SOI
  if (gps) bytes.push(...segment(0xe1, [...ascii('Exif'), 0, 0, ...exifTiff()]));
  bytes.push(
    ...segment(0xdb, [0x00, ...new Array(64).fill(1)]), // DQT: table 0, all ones
    ...segment(0xc0, [8, ...u16(8), ...u16(8), 1, 1, 0x11, 0]), // SOF0: 8-bit, 8×8, one component
    ...segment(0xc4, [0x00, 1, ...new Array(15).fill(0), 0x00]), // DHT DC 0: one 1-bit code → category 0
    ...segment(0xc4, [0x10, 1, ...new Array(15).fill(0), 0x00]), // DHT AC 0: one 1-bit code → EOB
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS
    0x3f, // DC 0, EOB, padded with ones
    0xff, 0xd9, // EOI
  );
  return Buffer.from(bytes);
}

/** The marker segments before the scan: [{marker, offset, payload}]. Throws if not a JPEG. */
export function segments(buf) {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) throw new Error('not a JPEG: no SOI (FFD8)');
  const found = [];
  let i = 2;
  while (i + 4 <= buf.length) {
    if (buf[i] !== 0xff) throw new Error(`not a JPEG: expected a marker at byte ${i}`);
    const marker = buf[i + 1];
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) break; // EOI
    const length = buf.readUInt16BE(i + 2);
    found.push({ marker, offset: i, payload: buf.subarray(i + 4, i + 2 + length) });
    i += 2 + length;
    if (marker === 0xda) break; // the entropy-coded scan follows
  }
  return found;
}

export function exifSegments(buf) {
  return segments(buf).filter((s) => s.marker === 0xe1 && s.payload.subarray(0, 6).equals(Buffer.from('Exif\0\0', 'latin1')));
}

/** Whether the bytes anywhere hold the GPS tags written by `craftJpeg` (the latitude's rationals). */
export function containsCraftedGps(buf) {
  const lat = Buffer.from(GPS.latitude.flatMap(([n, d]) => [...u32(n), ...u32(d)]));
  const pointer = Buffer.from([0x88, 0x25, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01]); // GPSInfo entry, big-endian
  return buf.includes(lat) || buf.includes(pointer);
}
