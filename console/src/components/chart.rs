//! Sign-ins over time by outcome: stacked bars in an SVG drawn here (no charting library), with
//! a text alternative — a summary sentence for the image and the numbers as a table.

use guestpass_wire::SignInBucket;
use leptos::prelude::*;

use crate::copy::Key;
use crate::tr;
use crate::Texts;

// Whole SVG units: integers draw as crisply and keep float formatting out of the wasm.
const WIDTH: u32 = 640;
const HEIGHT: u32 = 180;
const AXIS: u32 = 20;

/// `daily` labels bars by day, otherwise by hour.
#[component]
pub fn SignInChart(buckets: Vec<SignInBucket>, id: &'static str, daily: bool) -> impl IntoView {
    let texts = Texts::get();
    let highest = buckets
        .iter()
        .map(|b| b.success + b.failure)
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = WIDTH / (buckets.len().max(1) as u32);
    let bar = (slot * 7 / 10).max(1);
    let plot = HEIGHT - AXIS;
    let height = move |n: u32| n * plot / highest;
    let (successes, failures) = buckets.iter().fold((0u64, 0u64), |(s, f), b| {
        (s + b.success as u64, f + b.failure as u64)
    });
    let label = move |start: &str| {
        // `2026-11-22T00:00:00Z`: the day for daily bars, the hour otherwise.
        if daily {
            start.get(5..10).unwrap_or(start).to_string()
        } else {
            start.get(11..16).unwrap_or(start).to_string()
        }
    };
    let bars = buckets
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let x = i as u32 * slot + (slot - bar) / 2;
            let success_height = height(b.success);
            let failure_height = height(b.failure);
            let base = plot;
            view! {
                <rect class="bar-success" x=x y=base - success_height width=bar height=success_height></rect>
                <rect class="bar-failure" x=x y=base - success_height - failure_height width=bar height=failure_height></rect>
            }
        })
        .collect_view();
    let every = (buckets.len() / 8).max(1);
    let ticks = buckets
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, b)| {
            let x = i as u32 * slot + slot / 2;
            view! { <text x=x y=HEIGHT - 4 text-anchor="middle">{label(&b.start)}</text> }
        })
        .collect_view();
    let rows = buckets
        .iter()
        .map(|b| {
            view! {
                <tr><th scope="row">{label(&b.start)}</th><td>{b.success}</td><td>{b.failure}</td></tr>
            }
        })
        .collect_view();
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    view! {
        <figure class="chart" id=id>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=format!("{title_id} {desc_id}") focusable="false">
                <title id=title_id.clone()>{tr(Key::ChartTitle)}</title>
                <desc id=desc_id.clone()>
                    {move || texts.f(Key::ChartSummary, &[
                        ("successes", &successes.to_string()),
                        ("failures", &failures.to_string()),
                    ])}
                </desc>
                {bars}
                <g class="ticks" aria-hidden="true">{ticks}</g>
            </svg>
            <figcaption class="legend">
                <span class="key key-success"></span>{tr(Key::OutcomeSuccess)}
                <span class="key key-failure"></span>{tr(Key::OutcomeFailure)}
            </figcaption>
            <details class="chart-data">
                <summary>{tr(Key::ChartData)}</summary>
                <table>
                    <thead><tr>
                        <th scope="col">{tr(Key::ChartPeriod)}</th>
                        <th scope="col">{tr(Key::OutcomeSuccess)}</th>
                        <th scope="col">{tr(Key::OutcomeFailure)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}
