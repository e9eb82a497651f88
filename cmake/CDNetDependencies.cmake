# One place that finds the stack. Component lists are explicit: Debian's VTK Qt modules and
# OpenCV highgui are built against Qt 5 and must never reach a Qt 6 target (platform facts).
find_package(Threads REQUIRED)
# LibTorch: its CMake package (Debian's, or the one inside Python's torch: CMAKE_PREFIX_PATH from
# torch.utils.cmake_prefix_path). CDNET_TORCH_ROOT instead uses a torch folder (include/, lib/)
# without that package: a CUDA build's package insists on finding the CUDA toolkit, which a machine
# with only Python's torch may lack (packaging/gpu-check.sh falls back to it when configuring fails).
set(CDNET_TORCH_ROOT "" CACHE PATH "a torch folder (include/, lib/) used without Torch's CMake package")
set(CDNET_TORCH_CXX11_ABI 1 CACHE STRING "_GLIBCXX_USE_CXX11_ABI of that torch (torch._C._GLIBCXX_USE_CXX11_ABI)")
if(CDNET_TORCH_ROOT)
  set(_torch_libs)
  foreach(_lib torch torch_cpu c10)
    find_library(CDNET_TORCH_${_lib} ${_lib} HINTS ${CDNET_TORCH_ROOT}/lib REQUIRED)
    list(APPEND _torch_libs ${CDNET_TORCH_${_lib}})
  endforeach()
  # The CUDA parts register themselves when loaded: link them even though no symbol is used.
  foreach(_lib torch_cuda c10_cuda)
    find_library(CDNET_TORCH_${_lib} ${_lib} HINTS ${CDNET_TORCH_ROOT}/lib NO_DEFAULT_PATH)
    if(CDNET_TORCH_${_lib})
      list(APPEND _torch_libs "-Wl,--no-as-needed" ${CDNET_TORCH_${_lib}} "-Wl,--as-needed")
    endif()
  endforeach()
  add_library(cdnet_torch INTERFACE)
  target_include_directories(cdnet_torch SYSTEM INTERFACE ${CDNET_TORCH_ROOT}/include
                             ${CDNET_TORCH_ROOT}/include/torch/csrc/api/include)
  target_link_libraries(cdnet_torch INTERFACE ${_torch_libs})
  set(TORCH_LIBRARIES cdnet_torch)
  set(TORCH_CXX_FLAGS "-D_GLIBCXX_USE_CXX11_ABI=${CDNET_TORCH_CXX11_ABI}")
  message(STATUS "LibTorch from ${CDNET_TORCH_ROOT} without its CMake package: ${_torch_libs}")
else()
  find_package(Torch REQUIRED)
endif()
if(CDNET_ML_ONLY AND TORCH_CXX_FLAGS)
  # Everything shares LibTorch's C++ ABI (std::string crosses from cdnet_ml to the other modules).
  separate_arguments(_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
  add_compile_options(${_torch_flags})
endif()

if(NOT CDNET_ML_ONLY)
  find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs)
  find_package(ITK REQUIRED COMPONENTS ITKCommon ITKIOImageBase ITKIONRRD ITKIOMeta ITKIONIFTI
               ITKImageIntensity ITKThresholding ITKDistanceMap ITKWatersheds ITKMathematicalMorphology
               ITKLabelMap ITKConnectedComponents ITKImageStatistics ITKImageGrid ITKImageFilterBase
               ITKRegistrationMethodsv4 ITKOptimizersv4 ITKMetricsv4 ITKTransform)
  include(${ITK_USE_FILE})
  find_package(TIFF REQUIRED)
  find_package(HDF5 REQUIRED COMPONENTS C)
  find_package(nlohmann_json REQUIRED)
  find_package(CLI11 CONFIG QUIET)
  if(NOT CLI11_FOUND)
    find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
    add_library(CLI11::CLI11 INTERFACE IMPORTED)
    set_target_properties(CLI11::CLI11 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${CLI11_INCLUDE_DIR})
  endif()
  find_package(Qt6 REQUIRED COMPONENTS Core Test)
  if(CDNET_BUILD_GUI)
    find_package(Qt6 REQUIRED COMPONENTS Gui Widgets OpenGL OpenGLWidgets Charts Svg LinguistTools)
    find_package(VTK 9.1 REQUIRED COMPONENTS CommonCore CommonDataModel CommonExecutionModel
                 ImagingCore ImagingGeneral FiltersCore FiltersGeneral FiltersModeling RenderingCore
                 RenderingOpenGL2 RenderingUI RenderingImage RenderingVolume RenderingVolumeOpenGL2
                 RenderingAnnotation InteractionStyle)
  endif()
endif()
