// wb/catch.hpp: one include for Catch2 v3 (where installed) or v2.13 (Debian 12).
// Tests use TEST_CASE, SECTION, REQUIRE, REQUIRE_THAT with Catch::Matchers::WithinRel / WithinAbs.
#pragma once

#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#define WB_CATCH_VERSION 3
#else
#include <catch2/catch.hpp>
#define WB_CATCH_VERSION 2
#endif
