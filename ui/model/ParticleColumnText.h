#pragma once
/// \file ParticleColumnText.h
/// The particle table's column titles and descriptions (core::analysis::particleColumns()) in
/// the user's language, for headers, tooltips, plot axes and the colour-by list.

#include <QString>

#include <string>

namespace ui {

/// Translated title of column \p name ("filled_volume" -> "Filled volume"), without unit; an
/// empty string for a column this table does not know. Any thread.
QString particleColumnTitle(const std::string& name);
/// Translated one-sentence description of column \p name; empty when unknown. Any thread.
QString particleColumnDescription(const std::string& name);

} // namespace ui
