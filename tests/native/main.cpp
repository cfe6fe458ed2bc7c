// doctest's main, shared by the native and the WASM (Node) build of the suite.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
