#include <cstdio>
#include "wb/cli.hpp"
#include "wb/machine.hpp"
#include "ch00/median_timer.hpp"
int main(int argc, char** argv) {
    bool quick = false;
    wb::Cli cli("ch00_program", "demo");
    cli.flag("--quick", quick, "small");
    cli.parse(argc, argv);
    std::printf("%s\n%g\n", wb::machine_banner().c_str(), ch00::median_seconds([] {}, 3));
}
