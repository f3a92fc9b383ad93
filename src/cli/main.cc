#include <cstdio>
int main() { std::puts("embkit"); return 0; }
