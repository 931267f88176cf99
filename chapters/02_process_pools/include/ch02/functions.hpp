// ch02/functions.hpp: the table of functions a pool's workers can run (given code).
//
// A task names its function by a number, the function's index in this table. The table is filled
// before the pool forks its workers, so every worker holds a copy of it, closures and captured data
// included: fork copies the whole program. Nothing about the function has to be serialized, only the
// arguments and the result. (Python's multiprocessing pickles a function by its module and name for
// the same reason, and the "spawn" start method re-imports the module to find it again.)
//
// The price: a worker sees the captured data as it was at fork time. Whatever changes later in the
// parent must travel in the task's arguments.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "ch02/wire.hpp"

namespace ch02 {

/// A typed handle to a function of the table: Fn<long(int)> is a function taking int, returning long.
template <class Sig>
struct Fn;
template <class R, class... A>
struct Fn<R(A...)> {
    FnId id;
};

/// A typed handle to an element function for map(): Out f(In), run over chunks of inputs.
template <class In, class Out>
struct MapFn {
    FnId id;
};

class FunctionTable {
   public:
    /// What a worker runs: read the arguments, write the result. An exception becomes the task's error.
    using Handler = std::function<void(Reader& args, Writer& result)>;

    // [add]
    /// Registers `f` with signature `Sig`; arguments and result must be serializable (wire.hpp).
    ///     FunctionTable t;
    ///     auto square = t.add<long(int)>("square", [](int x) { return long{x} * x; });
    template <class Sig, class F>
    Fn<Sig> add(std::string name, F f) {
        return add_typed(std::move(name), std::move(f), static_cast<Sig*>(nullptr));
    }
    // [add]

    /// Registers an element function for map(): a task carries a chunk (count, then the inputs),
    /// the worker applies `f` to each and sends back the count and the outputs.
    template <class In, class Out, class F>
    MapFn<In, Out> add_map(std::string name, F f) {
        const FnId id = add_raw(std::move(name), [f = std::move(f)](Reader& args, Writer& result) {
            const auto count = args.get<std::uint64_t>();
            result.put<std::uint64_t>(count);
            for (std::uint64_t i = 0; i < count; ++i) {
                const Out out = f(args.get<In>());
                result.put(out);
            }
            args.expect_end();
        });
        return MapFn<In, Out>{id};
    }

    /// Registers a handler working on bytes directly.
    FnId add_raw(std::string name, Handler handler) {
        entries_.push_back({std::move(name), std::move(handler)});
        return static_cast<FnId>(entries_.size() - 1);
    }

    /// Runs function `id`. Throws std::out_of_range for an id not in the table.
    void call(FnId id, Reader& args, Writer& result) const {
        if (id >= entries_.size())
            throw std::out_of_range("unknown function id " + std::to_string(id) + " (the table has " +
                                    std::to_string(entries_.size()) + ")");
        entries_[id].handler(args, result);
    }

    /// The registered name, for error messages ("?" for an unknown id).
    std::string name(FnId id) const { return id < entries_.size() ? entries_[id].name : std::string("?"); }
    std::size_t size() const { return entries_.size(); }

   private:
    template <class R, class... A, class F>
    Fn<R(A...)> add_typed(std::string name, F f, R (*)(A...)) {
        const FnId id = add_raw(std::move(name), [f = std::move(f)](Reader& args, Writer& result) {
            // Braced initialization evaluates left to right: the arguments are read in order.
            std::tuple<std::decay_t<A>...> values{args.get<std::decay_t<A>>()...};
            args.expect_end();
            if constexpr (std::is_void_v<R>)
                std::apply(f, values);
            else
                result.put(std::apply(f, values));
        });
        return Fn<R(A...)>{id};
    }

    struct Entry {
        std::string name;
        Handler handler;
    };
    std::vector<Entry> entries_;
};

}  // namespace ch02
