// jsqa-pipeline: the one executable; subcommands live in tools/cli/.
#include "tools/cli/command.h"

int main(int argc, char** argv) { return jsqa::CliMain(argc, argv); }
