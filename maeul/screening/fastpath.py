"""lleaves, the LightGBM compiler, on the llvmlite this project locks.

lleaves 1.x optimises with LLVM's legacy pass manager (``PassManagerBuilder``) and calls
``llvm.initialize()``; llvmlite 0.45 removed the first and made the second an error. Where
they are gone, the same compilation runs with the new pass manager at the same level (O3,
inlining on). The generated code is lleaves' own (``gen_forest``), so predictions are
unchanged; the tests check them against LightGBM's predict to 1e-9."""

from __future__ import annotations

from typing import Any

import lleaves
import lleaves.compiler
import lleaves.llvm_binding
import llvmlite.binding as llvm
import llvmlite.ir
from lleaves.compiler.ast import parse_to_ast
from lleaves.compiler.codegen import gen_forest


def _initialize_llvm() -> None:
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()


def _compile_to_module(
    file_path: Any,
    fblocksize: int = 34,
    finline: bool = True,
    raw_score: bool = False,
    froot_func_name: str = "forest_root",
    use_fp64: bool = True,
) -> Any:
    forest = parse_to_ast(file_path)
    forest.raw_score = raw_score
    ir = llvmlite.ir.Module(name="forest")
    gen_forest(forest, ir, fblocksize, froot_func_name, use_fp64)
    ir.triple = llvm.get_process_triple()
    module = llvm.parse_assembly(str(ir))
    module.name = str(file_path)
    module.verify()
    _initialize_llvm()
    target = llvm.Target.from_triple(llvm.get_process_triple())
    machine = target.create_target_machine(opt=3)
    tuning = llvm.create_pipeline_tuning_options(speed_level=3)
    if finline:
        tuning.inlining_threshold = 1
    builder = llvm.create_pass_builder(machine, tuning)
    builder.getModulePassManager().run(module, builder)
    return module


if not hasattr(llvm, "PassManagerBuilder"):
    lleaves.compiler.compile_to_module = _compile_to_module
    lleaves.llvm_binding._initialize_llvm = _initialize_llvm

Compiler = lleaves.Model
