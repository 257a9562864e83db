#error "vmargin::core must not include libsodium (signatures belong to vmargin::codec)"
