#include "pingji/pingji.h"

int main(int argc, char **argv)
{
    return pj_cli_main(argc, argv);
}
