//! The eight-week chart: grouped bars of questions per category per week, drawn in process
//! with plotters on an RGB buffer and encoded as PNG with the `png` crate. The font is DejaVu
//! Sans Mono, embedded (Bitstream Vera license, `assets/fonts/LICENSE-DejaVu.txt`), so the chart
//! looks the same on every machine and needs no system fonts.

use super::History;
use anyhow::Context as _;
use plotters::prelude::*;
use plotters::style::{register_font, FontStyle};
use std::sync::OnceLock;

pub const WIDTH: u32 = 800;
pub const HEIGHT: u32 = 360;
const FONT: &str = "crossroads-sans";
const FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSansMono.ttf");
const COLORS: [RGBColor; 8] = [
    RGBColor(0x4e, 0x79, 0xa7),
    RGBColor(0xf2, 0x8e, 0x2b),
    RGBColor(0x59, 0xa1, 0x4f),
    RGBColor(0xe1, 0x57, 0x59),
    RGBColor(0x76, 0xb7, 0xb2),
    RGBColor(0xed, 0xc9, 0x48),
    RGBColor(0xb0, 0x7a, 0xa1),
    RGBColor(0x9c, 0x75, 0x5f),
];

fn font_ready() -> anyhow::Result<()> {
    static READY: OnceLock<bool> = OnceLock::new();
    let ok = *READY.get_or_init(|| register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok());
    anyhow::ensure!(ok, "the embedded chart font cannot be read");
    Ok(())
}

/// The chart as PNG bytes. Categories with no questions in the eight weeks are left out.
pub fn render_png(history: &History, names: &[(String, String)]) -> anyhow::Result<Vec<u8>> {
    font_ready()?;
    let series: Vec<(&str, &[i64])> = history
        .series
        .iter()
        .filter(|(_, s)| s.iter().any(|&n| n > 0))
        .map(|(id, s)| {
            let name = names
                .iter()
                .find(|(i, _)| i == id)
                .map_or(id.as_str(), |(_, n)| n);
            (name, s.as_slice())
        })
        .collect();
    let max = series
        .iter()
        .flat_map(|(_, s)| s.iter())
        .copied()
        .max()
        .unwrap_or(0)
        .max(1);
    let weeks = history.weeks.len().max(1);
    let mut rgb = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| anyhow::anyhow!("{e}"))?;
        let labels: Vec<String> = history.weeks.iter().map(|w| w.short()).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption("Questions per week", (FONT, 18))
            .margin(12)
            .x_label_area_size(28)
            .y_label_area_size(44)
            .build_cartesian_2d(0f64..weeks as f64, 0f64..(max as f64 * 1.15))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(weeks)
            .x_label_formatter(&|x| {
                let i = (x - 0.5).round();
                if (x - 0.5 - i).abs() < 0.01 && i >= 0.0 {
                    labels.get(i as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style((FONT, 12))
            .draw()
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let width = 0.8 / series.len().max(1) as f64;
        for (j, (name, counts)) in series.iter().enumerate() {
            let color = COLORS[j % COLORS.len()];
            let bars = counts.iter().enumerate().map(move |(i, &n)| {
                let x0 = i as f64 + 0.1 + j as f64 * width;
                Rectangle::new([(x0, 0.0), (x0 + width, n as f64)], color.filled())
            });
            chart
                .draw_series(bars)
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .label(*name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                });
        }
        chart
            .configure_series_labels()
            .label_font((FONT, 12))
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK.mix(0.3))
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        root.present().map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    encode(&rgb).context("cannot encode the chart as PNG")
}

fn encode(rgb: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Best);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::digest::IsoWeek;

    #[test]
    fn renders_a_png_of_the_expected_size() {
        let week = IsoWeek::parse("2026-W47").unwrap();
        let history = History {
            weeks: week.history(8),
            series: vec![
                ("quitting".into(), vec![1, 2, 3, 4, 5, 6, 7, 8]),
                ("other".into(), vec![0; 8]),
            ],
        };
        let names = vec![("quitting".to_owned(), "Quitting".to_owned())];
        let png = render_png(&history, &names).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = png::Decoder::new(png.as_slice());
        let info = decoder.read_info().unwrap().info().clone();
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        assert!(png.len() < 100_000, "{} bytes", png.len());
        let empty = History {
            weeks: week.history(8),
            series: vec![],
        };
        assert!(render_png(&empty, &[]).is_ok());
    }
}
