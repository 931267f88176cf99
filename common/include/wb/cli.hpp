// wb/cli.hpp: the command line of every workbook program.
//
//   wb::Cli cli("ch01_program", "What the program shows.");
//   cli.option("--workers", workers, "number of workers", 1, 256);
//   cli.flag("--quick", quick, "small sizes, for a smoke run");
//   cli.parse(argc, argv);
//
// --help prints the usage and exits 0. An unknown option, a missing or malformed value, or a value
// out of range prints one line saying what is wrong and exits 2.
#pragma once

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace wb {

class Cli {
public:
    /// `program` names the program in messages; ./wb sets WB_PROGRAM_NAME (e.g. "./wb run 01") so that
    /// usage and error lines show the command the learner really typed.
    Cli(std::string program, std::string description)
        : program_(std::move(program)), description_(std::move(description)) {
        if (const char* shown = std::getenv("WB_PROGRAM_NAME"); shown && *shown) program_ = shown;
    }

    /// A boolean switch: present means true.
    void flag(std::string name, bool& target, std::string help) {
        entries_.push_back({std::move(name), std::move(help), "", true, [&target](std::string_view) {
                                target = true;
                                return std::string();
                            }});
    }

    /// An option with a value, checked against [lo, hi] for numbers.
    template <class T>
    void option(std::string name, T& target, std::string help,
                T lo = std::numeric_limits<T>::lowest(), T hi = std::numeric_limits<T>::max()) {
        std::string shown = default_text(target);
        entries_.push_back({name, std::move(help), shown, false,
                            [&target, lo, hi, name](std::string_view text) -> std::string {
                                return convert(text, target, lo, hi, name);
                            }});
    }

    /// A string option, optionally restricted to `choices`.
    void option(std::string name, std::string& target, std::string help, std::vector<std::string> choices = {}) {
        std::string shown = target;
        if (!choices.empty()) {
            help += " (one of:";
            for (const auto& c : choices) help += " " + c;
            help += ")";
        }
        entries_.push_back({name, std::move(help), shown, false,
                            [&target, choices, name](std::string_view text) -> std::string {
                                if (!choices.empty()) {
                                    bool ok = false;
                                    for (const auto& c : choices) ok = ok || c == text;
                                    if (!ok) return name + ": '" + std::string(text) + "' is not one of the choices";
                                }
                                target = std::string(text);
                                return {};
                            }});
    }

    void print_usage(std::FILE* out) const {
        std::fprintf(out, "Usage: %s [options]\n\n%s\n\nOptions:\n", program_.c_str(), description_.c_str());
        for (const auto& e : entries_) {
            std::string left = e.name + (e.is_flag ? "" : " VALUE");
            std::fprintf(out, "  %-24s %s", left.c_str(), e.help.c_str());
            if (!e.is_flag && !e.shown_default.empty()) std::fprintf(out, " [default: %s]", e.shown_default.c_str());
            std::fprintf(out, "\n");
        }
        std::fprintf(out, "  %-24s %s\n", "--help", "show this help and exit");
    }

    /// Parses argv; exits 0 after --help and 2 on any error.
    void parse(int argc, char** argv) {
        for (int i = 1; i < argc; ++i) {
            std::string_view arg = argv[i];
            if (arg == "--help" || arg == "-h") {
                print_usage(stdout);
                std::exit(0);
            }
            std::string_view value;
            bool has_value = false;
            if (auto eq = arg.find('='); eq != std::string_view::npos) {
                value = arg.substr(eq + 1);
                arg = arg.substr(0, eq);
                has_value = true;
            }
            const Entry* entry = nullptr;
            for (const auto& e : entries_)
                if (e.name == arg) entry = &e;
            if (!entry) fail("unknown option '" + std::string(arg) + "'");
            if (entry->is_flag) {
                if (has_value) fail(entry->name + " takes no value");
                entry->apply({});
                continue;
            }
            if (!has_value) {
                if (i + 1 >= argc) fail(entry->name + " needs a value");
                value = argv[++i];
            }
            if (std::string err = entry->apply(value); !err.empty()) fail(err);
        }
    }

    [[noreturn]] void fail(const std::string& message) const {
        std::fprintf(stderr, "%s: error: %s\nTry '%s --help'.\n", program_.c_str(), message.c_str(), program_.c_str());
        std::exit(2);
    }

private:
    struct Entry {
        std::string name, help, shown_default;
        bool is_flag;
        std::function<std::string(std::string_view)> apply;
    };

    template <class T>
    static std::string default_text(const T& v) {
        if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
        else return std::to_string(v);
    }

    template <class T>
    static std::string convert(std::string_view text, T& target, T lo, T hi, const std::string& name) {
        T v{};
        const char* first = text.data();
        const char* last = text.data() + text.size();
        // Floating-point from_chars needs libstdc++ 11 or later (Debian 12 has 12).
        const std::from_chars_result r = std::from_chars(first, last, v);
        if (text.empty() || r.ec != std::errc() || r.ptr != last)
            return name + ": '" + std::string(text) + "' is not a valid number";
        if (v < lo || v > hi)
            return name + ": " + std::string(text) + " is out of range [" + std::to_string(lo) + ", " +
                   std::to_string(hi) + "]";
        target = v;
        return {};
    }

    std::string program_, description_;
    std::vector<Entry> entries_;
};

}  // namespace wb
