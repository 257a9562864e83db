#error "vmargin::core must not include nlohmann/json (JSON belongs to vmargin::codec)"
