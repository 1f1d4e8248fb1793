//! Files people attach: what is accepted, and removing what would identify them. A photo's
//! EXIF block carries GPS coordinates and the camera's serial number, a GIF's comments and XMP
//! whatever its maker wrote, and anything may trail an image's last byte: a tipster's photo
//! must not reveal where they live. Every image is decoded to its pixels and encoded anew, so
//! no kind of metadata or hidden data survives, including kinds not known today. Types are read
//! from the bytes, never from the name.

use image::{ImageDecoder, ImageFormat};
use std::io::Cursor;

/// Largest single file accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// Most files per submission.
pub const MAX_FILES: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
    Gif,
    Pdf,
    Mp4,
}

impl Kind {
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Webp => "image/webp",
            Kind::Gif => "image/gif",
            Kind::Pdf => "application/pdf",
            Kind::Mp4 => "video/mp4",
        }
    }
}

/// The kind of file, from its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    match bytes {
        [0xFF, 0xD8, 0xFF, ..] => Some(Kind::Jpeg),
        [0x89, b'P', b'N', b'G', ..] => Some(Kind::Png),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(Kind::Webp),
        [b'G', b'I', b'F', b'8', ..] => Some(Kind::Gif),
        [b'%', b'P', b'D', b'F', ..] => Some(Kind::Pdf),
        [_, _, _, _, b'f', b't', b'y', b'p', ..] => Some(Kind::Mp4),
        _ => None,
    }
}

/// Why a file was refused, in words for the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("is larger than 10 MB")]
    TooLarge,
    #[error("is not a photo (JPEG, PNG, WebP, GIF), a PDF or an MP4 video")]
    WrongType,
    #[error("could not be read as the image it claims to be")]
    Unreadable,
}

/// A file ready to store: its type, cleaned bytes, and what was done to it.
#[derive(Debug)]
pub struct Cleaned {
    pub kind: Kind,
    pub bytes: Vec<u8>,
    pub note: &'static str,
}

/// Largest picture decoded, in pixels a side: a small file can claim to be enormous (a
/// decompression bomb), so the decoder is told what it may allocate before it starts.
const MAX_SIDE: u32 = 12_000;
/// Most memory one decode may take.
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;
/// Most frames kept of an animated GIF.
const MAX_FRAMES: usize = 300;
/// What the person is told was done to a photo.
pub const REDRAWN: &str = "re-drawn from its pixels: location, camera and any hidden data removed";
/// What the person is told of a video or PDF.
pub const KEPT_AS_SENT: &str = "kept as sent: this kind of file can carry metadata";

/// Checks a file and, for photos, keeps nothing but the picture: it is decoded (within
/// limits against decompression bombs) and encoded again in its own format. Videos and PDFs
/// are kept as sent; the form says so.
pub fn clean(bytes: &[u8]) -> Result<Cleaned, Refused> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Refused::TooLarge);
    }
    let kind = sniff(bytes).ok_or(Refused::WrongType)?;
    let (bytes, note) = match kind {
        Kind::Jpeg => (redraw(bytes, ImageFormat::Jpeg)?, REDRAWN),
        Kind::Png => (redraw(bytes, ImageFormat::Png)?, REDRAWN),
        Kind::Webp => (redraw(bytes, ImageFormat::WebP)?, REDRAWN),
        Kind::Gif => (redraw_gif(bytes)?, REDRAWN),
        Kind::Pdf | Kind::Mp4 => (bytes.to_vec(), KEPT_AS_SENT),
    };
    if bytes.len() > MAX_FILE_BYTES {
        // A re-encoded picture (a lossless WebP as PNG-like data) may grow; the limit holds.
        return Err(Refused::TooLarge);
    }
    Ok(Cleaned { kind, bytes, note })
}

fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits
}

/// Decodes a still image and encodes its pixels in `format`; the camera's orientation is
/// applied first, since the tag that said it is gone with the rest.
fn redraw(bytes: &[u8], format: ImageFormat) -> Result<Vec<u8>, Refused> {
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(|_| Refused::Unreadable)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = image::DynamicImage::from_decoder(decoder).map_err(|_| Refused::Unreadable)?;
    picture.apply_orientation(orientation);
    let mut out = Cursor::new(Vec::new());
    match format {
        ImageFormat::Jpeg => {
            // JPEG has no alpha: flattened to RGB (or kept grey) at a quality that keeps detail.
            let flat = if picture.color().has_color() {
                image::DynamicImage::ImageRgb8(picture.to_rgb8())
            } else {
                image::DynamicImage::ImageLuma8(picture.to_luma8())
            };
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92);
            flat.write_with_encoder(encoder).map_err(|_| Refused::Unreadable)?;
        }
        _ => picture.write_to(&mut out, format).map_err(|_| Refused::Unreadable)?,
    }
    Ok(out.into_inner())
}

/// Decodes every frame of a GIF (up to [`MAX_FRAMES`]) and encodes them again with their
/// delays: comments, application extensions (XMP) and trailing bytes are not carried over.
fn redraw_gif(bytes: &[u8]) -> Result<Vec<u8>, Refused> {
    use image::AnimationDecoder;
    let mut decoder = image::codecs::gif::GifDecoder::new(Cursor::new(bytes)).map_err(|_| Refused::Unreadable)?;
    decoder.set_limits(limits()).map_err(|_| Refused::Unreadable)?;
    let frames: Vec<image::Frame> =
        decoder.into_frames().take(MAX_FRAMES).collect::<Result<_, _>>().map_err(|_| Refused::Unreadable)?;
    if frames.is_empty() {
        return Err(Refused::Unreadable);
    }
    let mut out = Vec::new();
    {
        let mut encoder = image::codecs::gif::GifEncoder::new(&mut out);
        encoder.set_repeat(image::codecs::gif::Repeat::Infinite).map_err(|_| Refused::Unreadable)?;
        encoder.encode_frames(frames).map_err(|_| Refused::Unreadable)?;
    }
    Ok(out)
}

/// The last path part of a name a browser sent, in safe characters only, at most 80.
pub fn tame(name: &str) -> String {
    name.rsplit(['/', '\\'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(80)
        .collect()
}

/// A name safe to show and to send back in a download header.
pub fn safe_filename(name: &str, kind: Kind) -> String {
    let base = tame(name);
    let ext = match kind {
        Kind::Jpeg => "jpg",
        Kind::Png => "png",
        Kind::Webp => "webp",
        Kind::Gif => "gif",
        Kind::Pdf => "pdf",
        Kind::Mp4 => "mp4",
    };
    let stem = base.rsplit_once('.').map(|(s, _)| s.to_owned()).unwrap_or(base);
    let stem = if stem.is_empty() { "attachment".to_owned() } else { stem };
    format!("{stem}.{ext}")
}

/// Test fixtures (public so integration tests and the browser suite's checks can share them).
#[doc(hidden)]
pub mod fixtures {
    /// A 1×1 JPEG with an EXIF block that holds a GPS position (38°53'N 77°02'W), built by
    /// hand so the test needs no image library.
    pub fn jpeg_with_gps() -> Vec<u8> {
        let mut tiff = Vec::new();
        tiff.extend_from_slice(b"MM\0\x2a\0\0\0\x08"); // big-endian TIFF, IFD0 at 8
        tiff.extend_from_slice(&[0, 1]); // one entry
        tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26]); // GPSInfo IFD at 26
        tiff.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
        tiff.extend_from_slice(&[0, 2]); // GPS IFD: two entries
        tiff.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]); // GPSLatitudeRef "N"
        tiff.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 56]); // GPSLatitude at 56
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        for (n, d) in [(38u32, 1u32), (53, 1), (0, 1)] {
            tiff.extend_from_slice(&n.to_be_bytes());
            tiff.extend_from_slice(&d.to_be_bytes());
        }
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let mut out = vec![0xFF, 0xD8];
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x0B]);
        out.extend_from_slice(b"home cam\0");
        out.extend_from_slice(TINY_JPEG_BODY);
        out
    }

    /// A 1×1 GIF with a comment extension and an XMP application extension, built by hand.
    pub fn gif_with_comment_and_xmp() -> Vec<u8> {
        let mut out = b"GIF89a".to_vec();
        out.extend_from_slice(&[1, 0, 1, 0, 0x80, 0, 0]); // 1×1, a global table of 2 colours
        out.extend_from_slice(&[0, 0, 0, 255, 255, 255]);
        out.extend_from_slice(&[0x21, 0xFE, 15]); // comment extension
        out.extend_from_slice(b"my home address");
        out.push(0);
        out.extend_from_slice(&[0x21, 0xFF, 11]); // application extension: XMP
        out.extend_from_slice(b"XMP DataXMP");
        out.extend_from_slice(&[9]);
        out.extend_from_slice(b"<x:xmp/> ");
        out.push(0);
        out.extend_from_slice(&[0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0]); // image descriptor
        out.extend_from_slice(&[2, 2, 0x4C, 0x01, 0]); // LZW min size 2, one sub-block, end
        out.push(0x3B);
        out
    }

    /// Quantisation table, frame, Huffman tables and scan of a 1×1 grey JPEG (after SOI).
    const TINY_JPEG_BODY: &[u8] = &[
        0xFF, 0xDB, 0x00, 0x43, 0x00, 0x08, 0x06, 0x06, 0x07, 0x06, 0x05, 0x08, 0x07, 0x07, 0x07, 0x09, 0x09, 0x08,
        0x0A, 0x0C, 0x14, 0x0D, 0x0C, 0x0B, 0x0B, 0x0C, 0x19, 0x12, 0x13, 0x0F, 0x14, 0x1D, 0x1A, 0x1F, 0x1E, 0x1D,
        0x1A, 0x1C, 0x1C, 0x20, 0x24, 0x2E, 0x27, 0x20, 0x22, 0x2C, 0x23, 0x1C, 0x1C, 0x28, 0x37, 0x29, 0x2C, 0x30,
        0x31, 0x34, 0x34, 0x34, 0x1F, 0x27, 0x39, 0x3D, 0x38, 0x32, 0x3C, 0x2E, 0x33, 0x34, 0x32, 0xFF, 0xC0, 0x00,
        0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0xFF, 0xC4, 0x00,
        0x14, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x2A, 0x9F, 0xFF, 0xD9,
    ];
}

#[cfg(test)]
mod tests {
    use super::fixtures::jpeg_with_gps;
    use super::*;

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn gps_is_removed_from_jpeg() {
        let original = jpeg_with_gps();
        assert!(contains(&original, b"Exif") && contains(&original, b"home cam"));
        let cleaned = clean(&original).unwrap();
        assert_eq!(cleaned.kind, Kind::Jpeg);
        assert!(cleaned.bytes.starts_with(&[0xFF, 0xD8]), "still a JPEG");
        assert!(!contains(&cleaned.bytes, b"Exif"), "EXIF (with GPS) removed");
        assert!(!contains(&cleaned.bytes, b"home cam"), "comments removed");
        assert!(contains(&cleaned.bytes, &[0xFF, 0xDA]), "the picture itself kept");
        let back = image::load_from_memory(&cleaned.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (1, 1));
    }

    /// Data hidden after the picture or in a format's side channels is gone, whatever it is.
    #[test]
    fn hidden_data_does_not_survive() {
        let secret = b"<html>ZIP-PK-SECRET</html>";
        let mut jpeg = jpeg_with_gps();
        jpeg.extend_from_slice(secret);
        let gif = fixtures::gif_with_comment_and_xmp();
        assert!(contains(&gif, b"my home address") && contains(&gif, b"XMP DataXMP"));
        let mut png = Vec::new();
        image::DynamicImage::new_rgba8(3, 2).write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        png.extend_from_slice(secret);
        for (name, file) in [("jpeg", jpeg), ("gif", gif), ("png", png)] {
            let cleaned = clean(&file).unwrap();
            for needle in [&secret[..], b"my home address", b"XMP DataXMP", b"Exif", b"home cam"] {
                assert!(!contains(&cleaned.bytes, needle), "{name}: {:?} survived", String::from_utf8_lossy(needle));
            }
            assert_eq!(cleaned.note, REDRAWN, "{name}");
            image::load_from_memory(&cleaned.bytes).unwrap_or_else(|e| panic!("{name}: still a picture: {e}"));
        }
    }

    /// A small file that claims a huge picture is refused before the memory is taken.
    #[test]
    fn decompression_bombs_are_refused() {
        // A PNG header claiming 100,000 × 100,000 pixels.
        let mut png = Vec::new();
        image::DynamicImage::new_luma8(1, 1).write_to(&mut Cursor::new(&mut png), ImageFormat::Png).unwrap();
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert_eq!(clean(&png).unwrap_err(), Refused::Unreadable);
    }

    #[test]
    fn refuses_what_it_cannot_vouch_for() {
        assert_eq!(clean(b"MZ\x90\0 not an image").unwrap_err(), Refused::WrongType);
        assert_eq!(clean(&vec![0xFF; MAX_FILE_BYTES + 1]).unwrap_err(), Refused::TooLarge);
        assert_eq!(clean(&[0xFF, 0xD8, 0xFF, 0x00]).unwrap_err(), Refused::Unreadable);
        assert_eq!(clean(b"%PDF-1.7 ...").unwrap().note, KEPT_AS_SENT);
    }

    #[test]
    fn filenames_are_tamed() {
        assert_eq!(safe_filename("../../etc/passwd", Kind::Pdf), "passwd.pdf");
        assert_eq!(safe_filename("IMG 0001.HEIC.exe", Kind::Jpeg), "IMG0001.HEIC.jpg");
        assert_eq!(safe_filename("", Kind::Png), "attachment.png");
    }
}
